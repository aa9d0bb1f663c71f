package dev.usagemetrics.agent.matching;

/**
 * Recognises the names the JDK gives the dynamic proxy classes of {@code java.lang.reflect.Proxy}
 * when their interfaces are public: {@code jdk/proxyN/$ProxyM} from Java 16 on,
 * {@code com/sun/proxy/$ProxyM} and {@code com/sun/proxy/jdk/proxyN/$ProxyM} before. They sit in
 * the JDK's packages yet implement application interfaces (a Spring Data repository is only ever
 * implemented by one), so the name filter lets exactly these through. A proxy of a non-public
 * interface is named in that interface's package and passes the filter anyway.
 *
 * <p>A proxy of public interfaces lives in a named module of the JDK's ({@code jdk.proxyN}), which
 * reads only what it declares. Its woven advice can still call the bridge: the JVM makes the
 * module of every transformed class read the bootstrap loader's unnamed module, where the bridge
 * is (specified in the {@code java.lang.instrument} package documentation, since Java 9), and the
 * inlined advice refers to nothing else but {@code java.base}.
 */
public final class JdkProxyNames {

  private static final String[] PACKAGE_PREFIXES = {"jdk/proxy", "com/sun/proxy/jdk/proxy"};
  private static final String OLD_PACKAGE = "com/sun/proxy/";
  private static final String SIMPLE_NAME = "$Proxy";

  private JdkProxyNames() {}

  /** True for an internal name the JDK gives a dynamic proxy class. */
  public static boolean isProxy(String internalName) {
    if (internalName.startsWith(OLD_PACKAGE)
        && isProxySimpleName(internalName, OLD_PACKAGE.length())) {
      return true;
    }
    for (String prefix : PACKAGE_PREFIXES) {
      if (internalName.startsWith(prefix)) {
        int slash = endOfDigits(internalName, prefix.length());
        return slash > prefix.length()
            && slash < internalName.length()
            && internalName.charAt(slash) == '/'
            && isProxySimpleName(internalName, slash + 1);
      }
    }
    return false;
  }

  /** True when {@code name} holds {@code $Proxy} and digits only from {@code start} to its end. */
  private static boolean isProxySimpleName(String name, int start) {
    int digits = start + SIMPLE_NAME.length();
    return name.startsWith(SIMPLE_NAME, start)
        && digits < name.length()
        && endOfDigits(name, digits) == name.length();
  }

  private static int endOfDigits(String name, int start) {
    int at = start;
    while (at < name.length() && name.charAt(at) >= '0' && name.charAt(at) <= '9') {
      at++;
    }
    return at;
  }
}
