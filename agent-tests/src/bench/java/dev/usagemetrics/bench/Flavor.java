package dev.usagemetrics.bench;

import java.nio.file.Path;
import java.util.List;

/** One way of running the same JVM: without agent, with ours, or with the OpenTelemetry Java agent. */
record Flavor(String label, List<String> jvmArgs) {

  static final String NONE = "none";
  static final String OURS = "ours";
  static final String OTEL = "otel";

  /** What the OpenTelemetry agent times: the same methods our agent is configured with. */
  static final String OTEL_METHODS = BenchRepository.class.getName() + "[persist,persistFailing];"
      + BenchQueue.class.getName() + "[offer,poll]";

  static Flavor none() {
    return new Flavor(NONE, List.of());
  }

  static Flavor ours(Path agentJar, Path config) {
    return new Flavor(OURS, List.of("-javaagent:" + agentJar + "=" + config));
  }

  /** Method spans only, exported nowhere: the agent's cost, not an exporter's. */
  static Flavor otel(Path otelAgentJar) {
    return otel(otelAgentJar, OTEL_METHODS);
  }

  /**
   * Its default instrumentation plus spans of {@code methods} ({@code otel.instrumentation.methods.include}),
   * exported nowhere.
   */
  static Flavor otel(Path otelAgentJar, String methods) {
    return new Flavor(
        OTEL,
        List.of(
            "-javaagent:" + otelAgentJar,
            "-Dotel.instrumentation.methods.include=" + methods,
            "-Dotel.traces.exporter=none",
            "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none"));
  }
}
