package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.ERROR_TYPE;
import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.Polling;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares what a target reported it did ({@code success=.. validation=.. timeout=.. db_error=..},
 * its own count) with what arrived, exactly. Cumulative values only grow, so waiting for each to
 * reach the reported value and then checking nothing else arrived is an exact comparison.
 */
final class ExportedTotals {

  static final List<String> ERROR_TYPES = List.of("validation", "timeout", "db_error");

  private ExportedTotals() {}

  /** Waits until the latest exported totals equal the reported ones; fails with what arrived. */
  static void awaitExactly(MetricsView metrics, Map<String, Long> reported, Duration timeout) {
    long errors = ERROR_TYPES.stream().mapToLong(reported::get).sum();
    awaitCount(metrics, "success", reported.get("success"), timeout);
    awaitCount(metrics, "error", errors, timeout);
    for (String errorType : ERROR_TYPES) {
      long expected = reported.get(errorType);
      if (expected > 0) {
        metrics.awaitLatest(
            PERSIST_ERRORS_TOTAL,
            Map.of(ERROR_TYPE, errorType),
            timeout,
            point -> point.longValue() == expected);
      }
    }
    assertEquals(
        ERROR_TYPES.stream().filter(type -> reported.get(type) > 0).count(),
        metrics.latestPoints(PERSIST_ERRORS_TOTAL).size(),
        () -> "no other error_type: " + metrics.latestPoints(PERSIST_ERRORS_TOTAL));
  }

  /**
   * With delta temporality: waits until the delivered deltas of each series add up exactly to the
   * reported totals (per outcome and per error type); fails with the sums that arrived.
   */
  static void awaitDeltaSums(MetricsView metrics, Map<String, Long> reported, Duration timeout) {
    Map<String, Long> expected = new TreeMap<>();
    long errors = ERROR_TYPES.stream().mapToLong(reported::get).sum();
    putIfCalled(expected, "success", reported.get("success"));
    putIfCalled(expected, "error", errors);
    ERROR_TYPES.forEach(type -> putIfCalled(expected, type, reported.get(type)));
    Polling.await(
        timeout,
        () -> deltaSums(metrics).equals(expected),
        () -> "delivered deltas add up to " + deltaSums(metrics) + ", the target counted "
            + expected);
  }

  /**
   * The sum of the delivered points of each series: {@code success} and {@code error} of the
   * histogram (counts), and each {@code error_type} of the counter.
   */
  static Map<String, Long> deltaSums(MetricsView metrics) {
    Map<String, Long> sums = new TreeMap<>();
    for (MetricPoint point : metrics.points(PERSIST_SECONDS)) {
      sums.merge((String) point.attributes().get(OUTCOME), point.count(), Long::sum);
    }
    for (MetricPoint point : metrics.points(PERSIST_ERRORS_TOTAL)) {
      sums.merge((String) point.attributes().get(ERROR_TYPE), point.longValue(), Long::sum);
    }
    return sums;
  }

  private static void putIfCalled(Map<String, Long> expected, String series, long calls) {
    if (calls > 0) {
      expected.put(series, calls);
    }
  }

  /** Waits until the queue gauge shows {@code size}. */
  static void awaitQueueSize(MetricsView metrics, long size, Duration timeout) {
    metrics.awaitLatest(QUEUE_SIZE, Map.of(), timeout, point -> point.longValue() == size);
  }

  private static void awaitCount(
      MetricsView metrics, String outcome, long expected, Duration timeout) {
    if (expected > 0) {
      MetricPoint point = metrics.awaitLatest(
          PERSIST_SECONDS, Map.of(OUTCOME, outcome), timeout, p -> p.count() == expected);
      assertEquals(
          expected,
          point.bucketCounts().stream().mapToLong(Long::longValue).sum(),
          "buckets of " + outcome);
    }
  }
}
