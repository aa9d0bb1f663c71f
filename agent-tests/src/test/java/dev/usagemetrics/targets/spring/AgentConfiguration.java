package dev.usagemetrics.targets.spring;

/**
 * The agent's configuration for this application, as the tests and the benchmarks give it: the
 * {@code persist} section naming the service and the repository (the {@code both} line of
 * {@link Ledger}), and the {@code queue} section naming {@link PendingUsageQueue}; and the same
 * methods as the OpenTelemetry Java agent's {@code otel.instrumentation.methods.include} names them.
 */
public final class AgentConfiguration {

  private AgentConfiguration() {}

  /** YAML lines. */
  public static String[] bothTargetsAndQueue() {
    return new String[] {
      "persist:",
      "  targets:",
      "    - class: " + UsageRecordService.class.getName(),
      "      methods: [" + String.join(", ", UsageRecordService.PERSIST_METHODS) + "]",
      "    - class: " + UsageRecordRepository.class.getName(),
      "      methods: [" + String.join(", ", UsageRecordRepository.PERSIST_METHODS) + "]",
      "queue:",
      "  targets:",
      "    - class: " + PendingUsageQueue.class.getName(),
      "      enqueue: [offer]",
      "      dequeue: [poll]",
    };
  }

  /** The persist methods in {@code otel.instrumentation.methods.include} syntax. */
  public static String openTelemetryMethods() {
    return UsageRecordService.class.getName() + "["
        + String.join(",", UsageRecordService.PERSIST_METHODS) + "];"
        + UsageRecordRepository.class.getName() + "["
        + String.join(",", UsageRecordRepository.PERSIST_METHODS) + "]";
  }
}
