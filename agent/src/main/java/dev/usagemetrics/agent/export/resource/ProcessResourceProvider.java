package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.AttributesBuilder;
import java.io.File;

/**
 * {@code process.pid} and {@code process.executable.path}. Never the command line or arguments:
 * every resource attribute becomes a label on every series behind a collector's Prometheus
 * exporter, and command lines are long and may carry secrets.
 */
public final class ProcessResourceProvider extends DetectedResourceProvider {

  @Override
  void detect(AttributesBuilder attributes) {
    attributes.put("process.pid", ProcessHandle.current().pid());
    String javaHome = System.getProperty("java.home");
    if (javaHome != null) {
      boolean windows = System.getProperty("os.name", "").startsWith("Windows");
      attributes.put("process.executable.path", javaHome + File.separator + "bin" + File.separator + (windows ? "java.exe" : "java"));
    }
  }
}
