package dev.usagemetrics.agenttests;

import static dev.usagemetrics.agenttests.AgentHarness.run;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The standard temporality preference ({@code OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE} or
 * {@code -Dotel.exporter.otlp.metrics.temporality.preference}) with {@code delta} and
 * {@code lowmemory}: the histogram and the error counter arrive as deltas that add up exactly to
 * the calls made, across periodic exports, a collector that refuses exports for a while (what it
 * refused comes with a later export, once) and the export at exit; the queue size stays
 * cumulative. Each series' deltas follow each other without gap or overlap.
 */
class DeltaTemporalityTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final String PREFERENCE_PROPERTY =
      "otel.exporter.otlp.metrics.temporality.preference";

  @TempDir
  Path dir;

  /** How the preference is given, and over which protocol. */
  enum Preference {
    DELTA_BY_ENVIRONMENT_OVER_GRPC(Protocol.GRPC),
    LOWMEMORY_BY_SYSTEM_PROPERTY_OVER_HTTP(Protocol.HTTP_PROTOBUF);

    final Protocol protocol;

    Preference(Protocol protocol) {
      this.protocol = protocol;
    }

    ChildJvm.Builder applyTo(ChildJvm.Builder child) {
      return name().startsWith("DELTA")
          ? child.env("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta")
          : child.systemProperty(PREFERENCE_PROPERTY, "lowmemory");
    }
  }

  @ParameterizedTest
  @EnumSource(Preference.class)
  void deltasAddUpToTheCallsAcrossRefusedExportsAndTheExit(Preference preference) {
    try (OtlpReceiver receiver = OtlpReceiver.start(preference.protocol)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.stepTargetConfig(AgentHarness.concat(
              // Refusals, not timeouts, are under test: an export the receiver takes after the
              // agent
              // gave up on it (a busy machine) is sent again, by design (docs/configuration.md).
              AgentHarness.exportTo(receiver, "500ms"), new String[] {"  timeout: 5s"})));
      ChildJvm.Builder child =
          preference.applyTo(AgentHarness.stepTarget("delta-" + preference, config));
      try (ChildJvm app = AgentHarness.startStepTarget(child)) {
        String named = preference.name().startsWith("DELTA") ? "delta" : "lowmemory";
        assertTrue(
            app.stderr().contains(", temporality preference " + named),
            "the startup line names the preference:\n" + app.stderr());
        MetricsView metrics = receiver.metrics();
        ExportedTotals.awaitDeltaSums(metrics, run(app, "before", 1000), ARRIVAL);

        receiver.refuse();
        int beforeRefusing = receiver.requestCount();
        run(app, "refused", 1500);
        assertTrue(
            receiver.requests().stream()
                .skip(beforeRefusing)
                .anyMatch(request -> !request.accepted()),
            "exports carrying deltas arrived and were refused");
        receiver.accept();
        ExportedTotals.awaitDeltaSums(metrics, run(app, "after", 700), ARRIVAL);

        // The last calls are made while the collector refuses, so only an export after it accepts
        // again (the one at exit, unless a periodic one comes first) can deliver them.
        receiver.refuse();
        Map<String, Long> last = run(app, "last", 700);
        receiver.accept();
        app.sendLine("exit");
        assertEquals(0, app.waitFor(ARRIVAL), app.stderr());
        ExportedTotals.awaitDeltaSums(metrics, last, Duration.ofSeconds(1));

        assertTemporalities(metrics);
        assertContiguous(metrics, PERSIST_SECONDS);
        assertContiguous(metrics, PERSIST_ERRORS_TOTAL);
        assertEquals(List.of(), AgentHarness.agentLogLines(app, "ERROR"), app.stderr());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void theExportAtExitDeliversTheDeltaAndTheQueueSizeStaysCumulative(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      // 60 s: no periodic export happens during the run, only the one on exit can deliver.
      Path config = AgentHarness.writeConfig(
          dir, "agent.yaml", AgentHarness.exampleTargetConfig(receiver, "60s"));
      Map<String, Long> workload;
      try (ChildJvm app = AgentHarness.jvmWithAgent("delta-exit-" + protocol, config)
          .env("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "delta")
          .jar(AgentHarness.exampleJar())
          .args(
              "--calls",
              "300",
              "--invalid",
              "30",
              "--timeouts",
              "0",
              "--duplicates",
              "10",
              "--mode",
              "queue",
              "--threads",
              "2",
              "--leave-pending",
              "7")
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
        workload = AgentHarness.reportLine(app.stdout(), "WORKLOAD");
      }
      assertEquals(1, receiver.requestCount(), "only the export at exit");
      MetricsView metrics = receiver.metrics();
      Map<String, Long> expected = new LinkedHashMap<>();
      expected.put("success", workload.get("success"));
      expected.put("error", workload.get("validation") + workload.get("duplicate"));
      expected.put("validation", workload.get("validation"));
      expected.put("db_error", workload.get("duplicate"));
      assertEquals(
          Map.of("success", 260L, "error", 40L, "validation", 30L, "db_error", 10L),
          expected,
          "the planned mix");
      assertEquals(
          expected.entrySet().stream()
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
          ExportedTotals.deltaSums(metrics));
      assertTemporalities(metrics);
      MetricPoint queue = metrics.latest(QUEUE_SIZE).orElseThrow();
      assertEquals(7, queue.longValue());
    }
  }

  /** The histogram and the counter are deltas; the up/down counter (queue size) stays cumulative. */
  private static void assertTemporalities(MetricsView metrics) {
    for (MetricPoint point : metrics.points()) {
      AggregationTemporality expected = point.name().equals(QUEUE_SIZE)
          ? AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
          : AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
      assertEquals(expected, point.temporality(), point.toString());
    }
    assertFalse(metrics.points(PERSIST_SECONDS).isEmpty());
  }

  /** Per series, in time order: each point starts where the one before ended, and ends after it starts. */
  private static void assertContiguous(MetricsView metrics, String name) {
    Map<Map<String, Object>, List<MetricPoint>> bySeries = metrics.points(name).stream()
        .collect(Collectors.groupingBy(
            MetricPoint::attributes, LinkedHashMap::new, Collectors.toCollection(ArrayList::new)));
    for (List<MetricPoint> series : bySeries.values()) {
      series.sort(Comparator.comparingLong(MetricPoint::timeUnixNano));
      for (int i = 0; i < series.size(); i++) {
        MetricPoint point = series.get(i);
        assertTrue(point.startTimeUnixNano() < point.timeUnixNano(), point.toString());
        if (i > 0) {
          assertEquals(
              series.get(i - 1).timeUnixNano(),
              point.startTimeUnixNano(),
              "no gap, no overlap: " + series);
        }
      }
    }
  }
}
