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

  // The attributes are named, not given as OpenTelemetry's AttributeKey: premain reads these
  // definitions and need not load the API's classes for that (docs/internals.md, "Premain's path").
  public static final String OUTCOME = "outcome";

  public static final String ERROR_TYPE = "error_type";

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
    HISTOGRAM(false),
    /** A monotonic sum. */
    COUNTER(true),
    /** A non-monotonic sum: a gauge in Prometheus. */
    UP_DOWN_COUNTER(false);

    private final boolean monotonic;

    Kind(boolean monotonic) {
      this.monotonic = monotonic;
    }

    public MetricDataType dataType() {
      return this == HISTOGRAM ? MetricDataType.HISTOGRAM : MetricDataType.LONG_SUM;
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
    private final String attributeName;
    private final List<String> attributeValues;
    private final List<Double> bounds;

    private Definition(
        String name,
        Kind kind,
        String unit,
        String description,
        String attributeName,
        List<String> attributeValues,
        List<Double> bounds) {
      this.name = name;
      this.kind = kind;
      this.unit = unit;
      this.description = description;
      this.attributeName = attributeName;
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

    /** The name of the one attribute a point of this instrument carries; null for none. */
    public String attributeName() {
      return attributeName;
    }

    /** {@link #attributeName()} as OpenTelemetry's key; null for none. */
    public AttributeKey<String> attributeKey() {
      return attributeName == null ? null : AttributeKey.stringKey(attributeName);
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
