package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.ERROR_TYPE;
import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS_BOUNDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole path: the unmodified example target under {@code -javaagent}, a real H2 database,
 * real failures, and the three metrics arriving at an OTLP endpoint over gRPC and http/protobuf.
 * The export interval (60 s) is longer than the run: everything arrives by the export on exit.
 */
class EndToEndTest {

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void exampleTargetWorkloadArrivesExactly(Protocol protocol) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      Path config = AgentHarness.writeConfig(
          dir, "agent.yaml", AgentHarness.exampleTargetConfig(receiver, "60s"));
      Map<String, Long> workload;
      try (ChildJvm app = AgentHarness.jvmWithAgent("example-" + protocol, config)
          .jar(AgentHarness.exampleJar())
          .args(
              "--calls",
              "1000",
              "--invalid",
              "100",
              "--timeouts",
              "50",
              "--duplicates",
              "30",
              "--mode",
              "queue",
              "--threads",
              "4",
              "--leave-pending",
              "25")
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
        workload = AgentHarness.reportLine(app.stdout(), "WORKLOAD");
        assertFalse(app.stderr().contains("ERROR"), app.stderr());
      }
      assertEquals(
          Map.of(
              "success", 820L, "validation", 100L, "timeout", 50L, "duplicate", 30L, "other", 0L),
          AgentHarness.entries(workload, "success", "validation", "timeout", "duplicate", "other"),
          "the example target itself must have produced the planned mix");

      MetricsView metrics = receiver.metrics();
      MetricPoint success = metrics.awaitLatest(
          PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true);
      MetricPoint error = metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow();
      assertEquals(820, success.count());
      assertEquals(180, error.count());
      for (MetricPoint histogram : new MetricPoint[] {success, error}) {
        assertEquals(Metric.DataCase.HISTOGRAM, histogram.type());
        assertEquals("s", histogram.unit());
        assertEquals(PERSIST_SECONDS_BOUNDS, histogram.explicitBounds());
        assertEquals(
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, histogram.temporality());
        assertEquals(
            histogram.count(),
            histogram.bucketCounts().stream().mapToLong(Long::longValue).sum());
        assertTrue(histogram.sum() > 0, "durations are recorded in seconds");
      }
      // Lock timeouts wait for H2's lock timeout, so they are the slowest calls: seen in a higher
      // bucket.
      assertTrue(error.sum() / error.count() > success.sum() / success.count() / 10);

      assertErrors(metrics, Map.of("validation", 100L, "timeout", 50L, "db_error", 30L));
      MetricPoint queue = metrics.latest(QUEUE_SIZE).orElseThrow();
      assertEquals(Metric.DataCase.SUM, queue.type());
      assertFalse(queue.isMonotonic());
      assertEquals(workload.get("queue_remaining"), queue.longValue());
      assertEquals(25, queue.longValue());

      assertEquals(1, metrics.serviceInstanceIds().size());
      assertEquals("agent-tests", success.serviceName());
      assertFalse(success.serviceInstanceId().isBlank());
    }
  }

  /**
   * The receiver's success and error counts, and errors by type, equal what the target counted
   * itself: {@code calls} has its {@code success}, {@code validation} and {@code timeout} calls.
   */
  static void assertSuccessesAndErrors(MetricsView metrics, Map<String, Long> calls) {
    assertEquals(
        calls.get("success"),
        metrics
            .awaitLatest(
                PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
            .count());
    assertEquals(
        calls.get("validation") + calls.get("timeout"),
        metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count());
    assertErrors(
        metrics, Map.of("validation", calls.get("validation"), "timeout", calls.get("timeout")));
  }

  static void assertErrors(MetricsView metrics, Map<String, Long> expected) {
    for (Map.Entry<String, Long> entry : expected.entrySet()) {
      MetricPoint point = metrics
          .latest(PERSIST_ERRORS_TOTAL, ERROR_TYPE, entry.getKey())
          .orElseThrow(() -> new AssertionError("no " + PERSIST_ERRORS_TOTAL + " for "
              + entry.getKey() + "; got " + metrics.latestPoints(PERSIST_ERRORS_TOTAL)));
      assertEquals(Metric.DataCase.SUM, point.type());
      assertTrue(point.isMonotonic());
      assertEquals(entry.getValue(), point.longValue(), "error_type " + entry.getKey());
    }
    assertEquals(
        expected.size(), metrics.latestPoints(PERSIST_ERRORS_TOTAL).size(), "no other error_type");
  }
}
