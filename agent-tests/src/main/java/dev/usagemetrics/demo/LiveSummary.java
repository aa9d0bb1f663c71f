package dev.usagemetrics.demo;

import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.UsageMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Renders what arrived as a compact table per service instance, for people watching the demo. */
final class LiveSummary {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String ROW = "  %-10s %8s %9s %9s%n";

  /** Success first, then error, then anything else alphabetically. */
  private static final Comparator<String> OUTCOME_ORDER =
      Comparator.comparingInt(LiveSummary::outcomeRank).thenComparing(Comparator.naturalOrder());

  private LiveSummary() {}

  static String render(MetricsView view, Instant now, ZoneId zone) {
    if (view.serviceInstanceIds().isEmpty()) {
      return "  waiting for the first export..." + System.lineSeparator();
    }
    StringBuilder out = new StringBuilder();
    for (String instanceId : view.serviceInstanceIds()) {
      out.append(System.lineSeparator());
      renderInstance(view.forInstance(instanceId), now, zone, out);
    }
    return out.toString();
  }

  private static void renderInstance(
      MetricsView view, Instant now, ZoneId zone, StringBuilder out) {
    List<MetricPoint> points = view.points();
    MetricPoint last = points.get(points.size() - 1);
    Instant lastExport = last.request().receivedAt();
    out.append(String.format(
        "%s  instance %s  last export %s (%ss ago, %s)%n",
        last.serviceName().isEmpty() ? "(no service.name)" : last.serviceName(),
        last.serviceInstanceId().isEmpty() ? "(none)" : last.serviceInstanceId(),
        CLOCK.format(lastExport.atZone(zone)),
        Duration.between(lastExport, now).toSeconds(),
        last.request().protocol().otelName()));

    List<MetricPoint> persist = view.latestPoints(UsageMetrics.PERSIST_SECONDS).stream()
        .sorted(Comparator.comparing(LiveSummary::outcome, OUTCOME_ORDER))
        .collect(Collectors.toList());
    out.append(String.format(ROW, "outcome", "calls", "p50", "p99"));
    if (persist.isEmpty()) {
      out.append(String.format(ROW, "(none)", "0", "-", "-"));
    }
    for (MetricPoint point : persist) {
      out.append(String.format(
          ROW, outcome(point), point.count(), quantile(0.5, point), quantile(0.99, point)));
    }

    String errors = view.latestPoints(UsageMetrics.PERSIST_ERRORS_TOTAL).stream()
        .sorted(Comparator.comparing(LiveSummary::errorType))
        .map(point -> errorType(point) + " " + point.longValue())
        .collect(Collectors.joining(", "));
    out.append(String.format("  errors     %s%n", errors.isEmpty() ? "none" : errors));

    String queueSize = view.latest(UsageMetrics.QUEUE_SIZE)
        .map(point -> Long.toString(point.longValue()))
        .orElse("-");
    out.append(String.format("  queue size %s%n", queueSize));
  }

  private static String quantile(double quantile, MetricPoint point) {
    return HistogramQuantile.estimate(quantile, point.explicitBounds(), point.bucketCounts())
        .format();
  }

  private static String outcome(MetricPoint point) {
    return String.valueOf(point.attributes().getOrDefault(UsageMetrics.OUTCOME, "?"));
  }

  private static int outcomeRank(String outcome) {
    int rank = List.of("success", "error").indexOf(outcome);
    return rank < 0 ? Integer.MAX_VALUE : rank;
  }

  private static String errorType(MetricPoint point) {
    return String.valueOf(point.attributes().getOrDefault(UsageMetrics.ERROR_TYPE, "?"));
  }
}
