package dev.usagemetrics.testkit;

import java.util.List;

/** Names and shape of the metrics the agent exports, as the tests and the demo expect them. */
public final class UsageMetrics {
  public static final String PERSIST_SECONDS = "llm_usage_persist_seconds";
  public static final String PERSIST_ERRORS_TOTAL = "llm_usage_persist_errors_total";
  public static final String QUEUE_SIZE = "llm_usage_persist_queue_size";

  public static final String OUTCOME = "outcome";
  public static final String ERROR_TYPE = "error_type";

  public static final List<Double> PERSIST_SECONDS_BOUNDS =
      List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0);

  private UsageMetrics() {}
}
