package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.AttributesBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process.pid} and {@code process.executable.path}. Never the command line or arguments:
 * every resource attribute becomes a label on every series behind a collector's Prometheus
 * exporter, and command lines are long and may carry secrets.
 */
public final class ProcessResourceProvider extends DetectedResourceProvider {

  /** Linux: a link to the process's own directory, named by its pid. */
  private static final Path PROC_SELF = Path.of("/proc/self");

  @Override
  void detect(AttributesBuilder attributes) {
    attributes.put("process.pid", pid());
    String javaHome = System.getProperty("java.home");
    if (javaHome != null) {
      boolean windows = System.getProperty("os.name", "").startsWith("Windows");
      String launcher = windows ? "java.exe" : "java";
      attributes.put(
          "process.executable.path", javaHome + File.separator + "bin" + File.separator + launcher);
    }
  }

  /**
   * Where {@code /proc/self} says it, read from there: {@code ProcessHandle.current()} costs
   * several milliseconds more at startup (it sets up the JDK's process reaper).
   */
  private static long pid() {
    try {
      return Long.parseLong(Files.readSymbolicLink(PROC_SELF).toString());
    } catch (IOException | UnsupportedOperationException | NumberFormatException notLinux) {
      return ProcessHandle.current().pid();
    }
  }
}
