package dev.usagemetrics.testkit;

import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Queries over the metrics that receivers accepted, for exact assertions on cumulative data.
 *
 * <p>With cumulative temporality every export repeats each series' total so far, so what counts is
 * the latest point of a series, and a series belongs to one sender: "latest" is decided per
 * resource (that is, per {@code service.instance.id}), by the point's time, then arrival order.
 * Refused and stalled requests are ignored: the sender does not consider them delivered.
 *
 * <p>A view is live: every query reads what has arrived by then.
 */
public final class MetricsView {

  private static final Comparator<MetricPoint> OLDEST_FIRST = Comparator.comparingLong(
          MetricPoint::timeUnixNano)
      .thenComparingLong(point -> point.request().sequence());

  private final Supplier<List<ReceivedRequest>> requests;
  private final Predicate<MetricPoint> filter;

  private MetricsView(Supplier<List<ReceivedRequest>> requests, Predicate<MetricPoint> filter) {
    this.requests = requests;
    this.filter = filter;
  }

  /** A view over what any of these receivers accepted. */
  public static MetricsView of(OtlpReceiver... receivers) {
    List<OtlpReceiver> sources = List.of(receivers);
    return new MetricsView(
        () -> {
          List<ReceivedRequest> all = new ArrayList<>();
          sources.forEach(receiver -> all.addAll(receiver.requests()));
          all.sort(Comparator.comparingLong(ReceivedRequest::sequence));
          return all;
        },
        point -> true);
  }

  /** The same view narrowed to the sender with this {@code service.instance.id}. */
  public MetricsView forInstance(String serviceInstanceId) {
    return new MetricsView(
        requests, filter.and(point -> point.serviceInstanceId().equals(serviceInstanceId)));
  }

  /** Every histogram, sum and gauge point accepted, in arrival order. */
  public List<MetricPoint> points() {
    List<MetricPoint> points = new ArrayList<>();
    for (ReceivedRequest request : requests.get()) {
      if (request.accepted()) {
        addPoints(request, points);
      }
    }
    return points;
  }

  /** Every point of one metric, in arrival order. */
  public List<MetricPoint> points(String metricName) {
    return points().stream()
        .filter(point -> point.name().equals(metricName))
        .collect(Collectors.toList());
  }

  /** The latest point of each series of a metric: one per sender and attribute set. */
  public List<MetricPoint> latestPoints(String metricName) {
    Map<List<Object>, MetricPoint> latest = new LinkedHashMap<>();
    for (MetricPoint point : points(metricName)) {
      latest.merge(List.of(point.resource(), point.attributes()), point, MetricsView::later);
    }
    return List.copyOf(latest.values());
  }

  /**
   * The latest point of the series with exactly these attributes; with several senders, the latest
   * of any of them (use {@link #forInstance} or {@link #latestByInstance} to tell them apart).
   */
  public Optional<MetricPoint> latest(String metricName, Map<String, ?> attributes) {
    return latestPoints(metricName).stream()
        .filter(point -> point.attributes().equals(attributes))
        .max(OLDEST_FIRST);
  }

  /** {@link #latest(String, Map)} with attributes given as key, value, key, value... */
  public Optional<MetricPoint> latest(String metricName, String... attributeKeysAndValues) {
    return latest(metricName, attributes(attributeKeysAndValues));
  }

  /** The latest point of the series with exactly these attributes, per service.instance.id. */
  public Map<String, MetricPoint> latestByInstance(String metricName, Map<String, ?> attributes) {
    Map<String, MetricPoint> byInstance = new LinkedHashMap<>();
    for (MetricPoint point : latestPoints(metricName)) {
      if (point.attributes().equals(attributes)) {
        byInstance.merge(point.serviceInstanceId(), point, MetricsView::later);
      }
    }
    return byInstance;
  }

  /**
   * Polls until the latest point of the series exists and satisfies {@code condition}, and returns
   * it; fails with the last point seen (or the metrics that did arrive) after {@code timeout}.
   */
  public MetricPoint awaitLatest(
      String metricName,
      Map<String, ?> attributes,
      Duration timeout,
      Predicate<MetricPoint> condition) {
    Polling.await(
        timeout,
        () -> latest(metricName, attributes).filter(condition).isPresent(),
        () -> latest(metricName, attributes)
            .map(point -> "latest " + point + " does not satisfy the condition")
            .orElse("no point of " + metricName + attributes + " arrived; metrics seen: "
                + metricNames()));
    return latest(metricName, attributes).orElseThrow();
  }

  /** Names of the metrics that arrived, in order of first arrival. */
  public Set<String> metricNames() {
    return points().stream()
        .map(MetricPoint::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** The distinct resources (attribute maps) that sent metrics, in order of first arrival. */
  public List<Map<String, Object>> resources() {
    return points().stream().map(MetricPoint::resource).distinct().collect(Collectors.toList());
  }

  /** The {@code service.instance.id}s that sent metrics, in order of first arrival. */
  public Set<String> serviceInstanceIds() {
    return points().stream()
        .map(MetricPoint::serviceInstanceId)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /** Builds an attribute map from key, value, key, value... */
  public static Map<String, String> attributes(String... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in key, value pairs");
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(
          Objects.requireNonNull(keysAndValues[i]), Objects.requireNonNull(keysAndValues[i + 1]));
    }
    return map;
  }

  private void addPoints(ReceivedRequest request, List<MetricPoint> points) {
    for (ResourceMetrics resourceMetrics : request.body().getResourceMetricsList()) {
      Map<String, Object> resource =
          AttributeValues.toMap(resourceMetrics.getResource().getAttributesList());
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        String scope = scopeMetrics.getScope().getName();
        for (Metric metric : scopeMetrics.getMetricsList()) {
          switch (metric.getDataCase()) {
            case HISTOGRAM ->
              metric
                  .getHistogram()
                  .getDataPointsList()
                  .forEach(
                      p -> add(points, MetricPoint.histogram(request, resource, scope, metric, p)));
            case SUM ->
              metric
                  .getSum()
                  .getDataPointsList()
                  .forEach(
                      p -> add(points, MetricPoint.number(request, resource, scope, metric, p)));
            case GAUGE ->
              metric
                  .getGauge()
                  .getDataPointsList()
                  .forEach(
                      p -> add(points, MetricPoint.number(request, resource, scope, metric, p)));
            default -> {
              // Exponential histograms and summaries: our agent sends neither.
            }
          }
        }
      }
    }
  }

  private static MetricPoint later(MetricPoint a, MetricPoint b) {
    return OLDEST_FIRST.compare(a, b) <= 0 ? b : a;
  }

  private void add(List<MetricPoint> points, MetricPoint point) {
    if (filter.test(point)) {
      points.add(point);
    }
  }
}
