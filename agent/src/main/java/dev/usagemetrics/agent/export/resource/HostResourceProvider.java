package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.AttributesBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code host.name} and {@code host.arch}. */
public final class HostResourceProvider extends DetectedResourceProvider {

  /** Linux: the kernel's host name, what {@code gethostname()} and the {@code hostname} command return. */
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  @Override
  void detect(AttributesBuilder attributes) {
    putIfKnown(attributes, "host.name", hostName(KERNEL_HOSTNAME));
    putIfKnown(attributes, "host.arch", arch(System.getProperty("os.arch", "")));
  }

  /**
   * The host's name without asking DNS: {@code InetAddress.getLocalHost()} would resolve the name
   * to an address, a lookup that can hang startup for as long as the resolver's timeout. The
   * kernel's name where it is a file, else the variables shells and Windows set; null if none.
   */
  static String hostName(Path kernelHostname) {
    try {
      if (Files.isReadable(kernelHostname)) {
        return Files.readString(kernelHostname, StandardCharsets.UTF_8).trim();
      }
    } catch (IOException unreadable) {
      // fall through to the environment
    }
    String name = System.getenv("HOSTNAME");
    return name != null ? name : System.getenv("COMPUTERNAME");
  }

  /** The semantic conventions' value for {@code os.arch}, or the JVM's own name for architectures they do not list. */
  static String arch(String osArch) {
    switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "arm":
      case "arm32":
        return "arm32";
      case "x86":
      case "i386":
      case "i486":
      case "i586":
      case "i686":
        return "x86";
      case "ppc":
      case "ppc32":
        return "ppc32";
      case "ppc64":
      case "ppc64le":
        return "ppc64";
      case "ia64":
        return "ia64";
      case "s390x":
        return "s390x";
      default:
        return osArch;
    }
  }
}
