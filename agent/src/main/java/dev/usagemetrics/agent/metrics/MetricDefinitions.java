package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.classification.ErrorTypes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.util.List;

/**
 * The metric contract, one definition per instrument: the names, kinds, units, descriptions,
 * attributes and bucket bounds that dashboards, alert rules and the README rely on. The producer
 * builds its data from these, the exporters pick the agent's metrics by {@link #METER_NAME}, and the
 * configuration accepts the error types of {@link #PERSIST_ERRORS} ({@link ErrorTypes#ALL}). The
 * child-JVM tests spell the names out, so a change here shows there as a broken contract.
 */
public final class MetricDefinitions {

  /** Instrumentation scope of every instrument. */
  public static final String METER_NAME = "dev.usagemetrics.agent";

  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error_type");

  /** The values of {@link #OUTCOME}, in the order of {@link PersistTotals}' outcome indexes. */
  public static final String SUCCESS = "success";

  public static final String ERROR = "error";

  /** Seconds, per outcome. */
  public static final Definition PERSIST_SECONDS = new Definition(
      "llm_usage_persist_seconds",
      Kind.HISTOGRAM,
      "s",
      "Usage record persistence latency",
      OUTCOME,
      List.of(SUCCESS, ERROR),
      List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0));

  /**
   * Failed calls, per error type. No unit here nor on the queue size: a translation to Prometheus
   * appends units to names (a {@code 1} as a second {@code _total}).
   */
  public static final Definition PERSIST_ERRORS = new Definition(
      "llm_usage_persist_errors_total",
      Kind.COUNTER,
      "",
      "Usage persistence failures",
      ERROR_TYPE,
      ErrorTypes.ALL,
      List.of());

  /** The records enqueued and not yet dequeued, over all configured queues: no attributes. */
  public static final Definition QUEUE_SIZE = new Definition(
      "llm_usage_persist_queue_size",
      Kind.UP_DOWN_COUNTER,
      "",
      "Pending usage records waiting to be persisted",
      null,
      List.of(),
      List.of());

  private MetricDefinitions() {}

  /** How an instrument's values add up, and the OpenTelemetry data that carries them. */
  public enum Kind {
    HISTOGRAM(MetricDataType.HISTOGRAM, false),
    /** A monotonic sum. */
    COUNTER(MetricDataType.LONG_SUM, true),
    /** A non-monotonic sum: a gauge in Prometheus. */
    UP_DOWN_COUNTER(MetricDataType.LONG_SUM, false);

    private final MetricDataType dataType;
    private final boolean monotonic;

    Kind(MetricDataType dataType, boolean monotonic) {
      this.dataType = dataType;
      this.monotonic = monotonic;
    }

    public MetricDataType dataType() {
      return dataType;
    }

    /** Whether a sum only grows. */
    public boolean monotonic() {
      return monotonic;
    }
  }

  /** One instrument of the contract. */
  public static final class Definition {
    private final String name;
    private final Kind kind;
    private final String unit;
    private final String description;
    private final AttributeKey<String> attributeKey;
    private final List<String> attributeValues;
    private final List<Double> bounds;

    private Definition(
        String name,
        Kind kind,
        String unit,
        String description,
        AttributeKey<String> attributeKey,
        List<String> attributeValues,
        List<Double> bounds) {
      this.name = name;
      this.kind = kind;
      this.unit = unit;
      this.description = description;
      this.attributeKey = attributeKey;
      this.attributeValues = attributeValues;
      this.bounds = bounds;
    }

    public String name() {
      return name;
    }

    public Kind kind() {
      return kind;
    }

    /** UCUM, as OpenTelemetry takes it; empty for none. */
    public String unit() {
      return unit;
    }

    public String description() {
      return description;
    }

    /** The one attribute a point of this instrument carries; null for none. */
    public AttributeKey<String> attributeKey() {
      return attributeKey;
    }

    /** The values {@link #attributeKey()} takes. */
    public List<String> attributeValues() {
      return attributeValues;
    }

    /** A histogram's upper bucket bounds, ascending, in {@link #unit()}; empty for other kinds. */
    public List<Double> bounds() {
      return bounds;
    }
  }
}
