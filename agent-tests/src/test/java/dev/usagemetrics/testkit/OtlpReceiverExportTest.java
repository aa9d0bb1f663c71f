package dev.usagemetrics.testkit;

import static dev.usagemetrics.testkit.MetricsView.attributes;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS_BOUNDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real OTLP exporter delivers the agent's three metrics intact, over both protocols. */
class OtlpReceiverExportTest {

  private static final AggregationTemporality CUMULATIVE =
      AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void deliversHistogramCounterAndUpDownCounterExactly(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).instanceId("i-1").start()) {
      sdk.recordPersist("success", 0.0005); // first bucket (<= 1ms)
      sdk.recordPersist("success", 0.003); // (1ms, 5ms]
      sdk.recordPersist("success", 0.02); // (10ms, 50ms]
      sdk.recordPersist("success", 2.0); // overflow (> 1s)
      sdk.recordPersist("error", 0.2); // (100ms, 500ms]
      sdk.recordError("db_error", 2);
      sdk.recordError("timeout", 1);
      sdk.queueSize.add(5);
      sdk.queueSize.add(-2);
      sdk.flushAndExpectSuccess();

      MetricsView view = receiver.metrics();
      MetricPoint success = view.latest(PERSIST_SECONDS, "outcome", "success").orElseThrow();
      assertEquals(Metric.DataCase.HISTOGRAM, success.type());
      assertEquals("s", success.unit());
      assertEquals(CUMULATIVE, success.temporality());
      assertEquals(Map.of("outcome", "success"), success.attributes());
      assertEquals(4, success.count());
      assertEquals(0.0005 + 0.003 + 0.02 + 2.0, success.sum(), 1e-12);
      assertEquals(PERSIST_SECONDS_BOUNDS, success.explicitBounds());
      assertEquals(List.of(1L, 1L, 0L, 1L, 0L, 0L, 0L, 1L), success.bucketCounts());

      MetricPoint error = view.latest(PERSIST_SECONDS, "outcome", "error").orElseThrow();
      assertEquals(1, error.count());
      assertEquals(0.2, error.sum(), 1e-12);
      assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L), error.bucketCounts());

      MetricPoint dbErrors =
          view.latest(PERSIST_ERRORS_TOTAL, "error_type", "db_error").orElseThrow();
      assertEquals(Metric.DataCase.SUM, dbErrors.type());
      assertTrue(dbErrors.isMonotonic());
      assertEquals(CUMULATIVE, dbErrors.temporality());
      assertEquals(2, dbErrors.longValue());
      assertEquals(
          1,
          view.latest(PERSIST_ERRORS_TOTAL, "error_type", "timeout")
              .orElseThrow()
              .longValue());
      assertTrue(view.latest(PERSIST_ERRORS_TOTAL, "error_type", "validation").isEmpty());

      MetricPoint queue = view.latest(QUEUE_SIZE).orElseThrow();
      assertEquals(Metric.DataCase.SUM, queue.type());
      assertFalse(queue.isMonotonic());
      assertEquals(CUMULATIVE, queue.temporality());
      assertEquals(Map.of(), queue.attributes());
      assertEquals(3, queue.longValue());

      assertEquals(StandInSdk.SERVICE_NAME, queue.serviceName());
      assertEquals("i-1", queue.serviceInstanceId());
      assertEquals(List.of("i-1"), List.copyOf(view.serviceInstanceIds()));
      assertEquals(protocol, queue.request().protocol());
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void latestPointCarriesTheCumulativeTotal(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).start()) {
      sdk.recordPersist("success", 0.003);
      sdk.recordError("timeout", 1);
      sdk.flushAndExpectSuccess();
      sdk.recordPersist("success", 0.007);
      sdk.recordError("timeout", 4);
      sdk.flushAndExpectSuccess();

      MetricsView view = receiver.metrics();
      List<MetricPoint> exported = view.points(PERSIST_SECONDS);
      assertEquals(2, exported.size());
      MetricPoint latest = view.latest(PERSIST_SECONDS, "outcome", "success").orElseThrow();
      assertEquals(2, latest.count());
      assertEquals(List.of(0L, 1L, 1L, 0L, 0L, 0L, 0L, 0L), latest.bucketCounts());
      assertEquals(exported.get(0).startTimeUnixNano(), latest.startTimeUnixNano());
      assertEquals(
          5,
          view.latest(PERSIST_ERRORS_TOTAL, attributes("error_type", "timeout"))
              .orElseThrow()
              .longValue());
      assertEquals(2, receiver.requestCount());
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void keepsHeadersAndDecompressesGzip(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        StandInSdk sdk = StandInSdk.exportingTo(receiver)
            .header("Authorization", "Bearer s3cret")
            .gzip()
            .start()) {
      sdk.queueSize.add(7);
      sdk.flushAndExpectSuccess();

      assertEquals(List.of("Bearer s3cret"), receiver.headerValues("authorization"));
      String encodingHeader = protocol == Protocol.GRPC ? "grpc-encoding" : "Content-Encoding";
      assertEquals(List.of("gzip"), receiver.requests().get(0).header(encodingHeader));
      assertEquals(7, receiver.metrics().latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }
}
