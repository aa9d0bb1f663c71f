package dev.usagemetrics.testkit;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import java.util.Map;

/**
 * One data point of one metric, with the metric's description and the resource that sent it.
 *
 * <p>Histogram accessors work on histogram points only, value accessors on sum and gauge points
 * only; the wrong kind throws {@link IllegalStateException}, so a test never reads a default zero.
 */
public final class MetricPoint {

  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";

  private final ReceivedRequest request;
  private final Map<String, Object> resource;
  private final String scopeName;
  private final Metric metric;
  private final HistogramDataPoint histogramPoint;
  private final NumberDataPoint numberPoint;
  private final Map<String, Object> attributes;

  private MetricPoint(
      ReceivedRequest request,
      Map<String, Object> resource,
      String scopeName,
      Metric metric,
      HistogramDataPoint histogramPoint,
      NumberDataPoint numberPoint) {
    this.request = request;
    this.resource = resource;
    this.scopeName = scopeName;
    this.metric = metric;
    this.histogramPoint = histogramPoint;
    this.numberPoint = numberPoint;
    this.attributes = AttributeValues.toMap(
        histogramPoint != null
            ? histogramPoint.getAttributesList()
            : numberPoint.getAttributesList());
  }

  static MetricPoint histogram(
      ReceivedRequest request,
      Map<String, Object> resource,
      String scopeName,
      Metric metric,
      HistogramDataPoint point) {
    return new MetricPoint(request, resource, scopeName, metric, point, null);
  }

  static MetricPoint number(
      ReceivedRequest request,
      Map<String, Object> resource,
      String scopeName,
      Metric metric,
      NumberDataPoint point) {
    return new MetricPoint(request, resource, scopeName, metric, null, point);
  }

  /** The request that carried this point: arrival time, protocol, headers. */
  public ReceivedRequest request() {
    return request;
  }

  /** Resource attributes of the sender. */
  public Map<String, Object> resource() {
    return resource;
  }

  /** The {@code service.name} resource attribute, or "" if absent. */
  public String serviceName() {
    return String.valueOf(resource.getOrDefault(SERVICE_NAME, ""));
  }

  /** The {@code service.instance.id} resource attribute, or "" if absent. */
  public String serviceInstanceId() {
    return String.valueOf(resource.getOrDefault(SERVICE_INSTANCE_ID, ""));
  }

  /** Name of the instrumentation scope (the meter) that produced the metric. */
  public String scopeName() {
    return scopeName;
  }

  public String name() {
    return metric.getName();
  }

  public String unit() {
    return metric.getUnit();
  }

  public String description() {
    return metric.getDescription();
  }

  /** HISTOGRAM, SUM or GAUGE: the only kinds whose points this view reads. */
  public Metric.DataCase type() {
    return metric.getDataCase();
  }

  /** Of a histogram or sum; UNSPECIFIED for a gauge, which has none. */
  public AggregationTemporality temporality() {
    return switch (type()) {
      case HISTOGRAM -> metric.getHistogram().getAggregationTemporality();
      case SUM -> metric.getSum().getAggregationTemporality();
      default -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
    };
  }

  /** Whether a sum only goes up (a counter) rather than up and down. */
  public boolean isMonotonic() {
    requireType(Metric.DataCase.SUM);
    return metric.getSum().getIsMonotonic();
  }

  /**
   * The point's attributes as plain Java values: String, Long (ints), Double, Boolean, List
   * (arrays), Map (key-value lists), ByteString (bytes).
   */
  public Map<String, Object> attributes() {
    return attributes;
  }

  public long startTimeUnixNano() {
    return histogramPoint != null
        ? histogramPoint.getStartTimeUnixNano()
        : numberPoint.getStartTimeUnixNano();
  }

  public long timeUnixNano() {
    return histogramPoint != null
        ? histogramPoint.getTimeUnixNano()
        : numberPoint.getTimeUnixNano();
  }

  /** Histogram: how many values were recorded. */
  public long count() {
    return histogram().getCount();
  }

  /** Histogram: the sum of the recorded values. */
  public double sum() {
    return histogram().getSum();
  }

  /** Histogram: per-bucket counts, one more than {@link #explicitBounds()}: the overflow. */
  public List<Long> bucketCounts() {
    return histogram().getBucketCountsList();
  }

  /** Histogram: the bucket upper bounds (inclusive). */
  public List<Double> explicitBounds() {
    return histogram().getExplicitBoundsList();
  }

  /** The point's exemplars (histogram, sum or gauge), as sent. */
  public List<ReceivedExemplar> exemplars() {
    List<io.opentelemetry.proto.metrics.v1.Exemplar> sent =
        histogramPoint != null ? histogramPoint.getExemplarsList() : numberPoint.getExemplarsList();
    return sent.stream().map(ReceivedExemplar::of).toList();
  }

  /** Sum or gauge: the value, whether sent as int or double. */
  public double value() {
    NumberDataPoint point = number();
    return point.getValueCase() == NumberDataPoint.ValueCase.AS_INT
        ? point.getAsInt()
        : point.getAsDouble();
  }

  /** Sum or gauge: the value of an integer point; fails for a double point. */
  public long longValue() {
    NumberDataPoint point = number();
    if (point.getValueCase() != NumberDataPoint.ValueCase.AS_INT) {
      throw new IllegalStateException(name() + " carries a double, not a long: " + this);
    }
    return point.getAsInt();
  }

  @Override
  public String toString() {
    String value;
    if (histogramPoint != null) {
      value = "count=" + count() + " sum=" + sum() + " buckets=" + bucketCounts() + " bounds="
          + explicitBounds();
    } else if (numberPoint.getValueCase() == NumberDataPoint.ValueCase.AS_INT) {
      value = "value=" + numberPoint.getAsInt();
    } else {
      value = "value=" + numberPoint.getAsDouble();
    }
    return name() + attributes + " " + type() + " " + value + " unit='" + unit() + "' "
        + temporality() + " from " + serviceName() + "/" + serviceInstanceId();
  }

  private HistogramDataPoint histogram() {
    requireType(Metric.DataCase.HISTOGRAM);
    return histogramPoint;
  }

  private NumberDataPoint number() {
    if (numberPoint == null) {
      throw new IllegalStateException(name() + " is a " + type() + ", not a sum or gauge");
    }
    return numberPoint;
  }

  private void requireType(Metric.DataCase expected) {
    if (type() != expected) {
      throw new IllegalStateException(name() + " is a " + type() + ", not a " + expected);
    }
  }
}
