package dev.usagemetrics.agent.metrics;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/** The names, units, attributes and bucket bounds of the three instruments: the metric contract. */
public final class MetricNames {

  /** Instrumentation scope of every instrument. */
  public static final String METER_NAME = "dev.usagemetrics.agent";

  public static final String PERSIST_SECONDS = "llm_usage_persist_seconds";
  public static final String PERSIST_ERRORS = "llm_usage_persist_errors_total";
  public static final String QUEUE_SIZE = "llm_usage_persist_queue_size";

  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error_type");

  public static final String SUCCESS = "success";
  public static final String ERROR = "error";

  public static final List<Double> PERSIST_SECONDS_BOUNDS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0);

  private MetricNames() {}
}
