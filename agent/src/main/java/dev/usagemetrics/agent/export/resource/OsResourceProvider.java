package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Locale;

/** {@code os.type} and {@code os.description}. */
public final class OsResourceProvider extends DetectedResourceProvider {

  @Override
  void detect(AttributesBuilder attributes) {
    String name = System.getProperty("os.name", "");
    putIfKnown(attributes, "os.type", type(name));
    putIfKnown(
        attributes, "os.description", (name + " " + System.getProperty("os.version", "")).trim());
  }

  /** The semantic conventions' {@code os.type} for the JVM's {@code os.name}; null for one they do not list. */
  static String type(String osName) {
    String name = osName.toLowerCase(Locale.ROOT);
    if (name.startsWith("windows")) {
      return "windows";
    } else if (name.startsWith("linux")) {
      return "linux";
    } else if (name.startsWith("mac")) {
      return "darwin";
    } else if (name.startsWith("freebsd")) {
      return "freebsd";
    } else if (name.startsWith("netbsd")) {
      return "netbsd";
    } else if (name.startsWith("openbsd")) {
      return "openbsd";
    } else if (name.startsWith("dragonfly")) {
      return "dragonflybsd";
    } else if (name.startsWith("hp-ux")) {
      return "hpux";
    } else if (name.startsWith("aix")) {
      return "aix";
    } else if (name.startsWith("solaris") || name.startsWith("sunos")) {
      return "solaris";
    } else if (name.startsWith("z/os")) {
      return "z_os";
    }
    return null;
  }
}
