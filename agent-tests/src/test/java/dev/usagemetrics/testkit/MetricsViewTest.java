package dev.usagemetrics.testkit;

import static dev.usagemetrics.testkit.MetricsView.attributes;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queries that tell senders apart and pick the latest cumulative point. */
class MetricsViewTest {

  private static final Duration SHORT = Duration.ofMillis(200);

  @Test
  void separatesSendersByServiceInstanceId() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC);
        StandInSdk first = StandInSdk.exportingTo(receiver).instanceId("first").start();
        StandInSdk second =
            StandInSdk.exportingTo(receiver).instanceId("second").start()) {
      first.queueSize.add(1);
      first.flushAndExpectSuccess();
      second.queueSize.add(20);
      second.flushAndExpectSuccess();
      first.queueSize.add(2);
      first.flushAndExpectSuccess();

      MetricsView view = receiver.metrics();
      assertEquals(List.of("first", "second"), List.copyOf(view.serviceInstanceIds()));
      assertEquals(List.of(resource("first"), resource("second")), view.resources());

      Map<String, MetricPoint> byInstance = view.latestByInstance(QUEUE_SIZE, Map.of());
      assertEquals(3, byInstance.get("first").longValue());
      assertEquals(20, byInstance.get("second").longValue());
      assertEquals(2, view.latestPoints(QUEUE_SIZE).size());
      assertEquals(
          20, view.forInstance("second").latest(QUEUE_SIZE).orElseThrow().longValue());
      assertEquals(2, view.forInstance("first").points(QUEUE_SIZE).size());
      // Across senders "latest" is simply the newest point: first's second export.
      assertEquals(3, view.latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }

  @Test
  void viewsSeveralReceiversAsOne() {
    try (OtlpReceiver grpc = OtlpReceiver.start(Protocol.GRPC);
        OtlpReceiver http = OtlpReceiver.start(Protocol.HTTP_PROTOBUF);
        StandInSdk viaGrpc = StandInSdk.exportingTo(grpc).instanceId("g").start();
        StandInSdk viaHttp = StandInSdk.exportingTo(http).instanceId("h").start()) {
      viaGrpc.recordError("timeout", 1);
      viaGrpc.flushAndExpectSuccess();
      viaHttp.recordError("timeout", 2);
      viaHttp.flushAndExpectSuccess();

      Map<String, MetricPoint> byInstance = MetricsView.of(grpc, http)
          .latestByInstance(PERSIST_ERRORS_TOTAL, attributes("error_type", "timeout"));
      assertEquals(1, byInstance.get("g").longValue());
      assertEquals(Protocol.GRPC, byInstance.get("g").request().protocol());
      assertEquals(2, byInstance.get("h").longValue());
      assertEquals(Protocol.HTTP_PROTOBUF, byInstance.get("h").request().protocol());
    }
  }

  @Test
  void awaitLatestWaitsForTheConditionAndReportsWhatItSawOnTimeout() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).start()) {
      sdk.queueSize.add(1);
      sdk.flushAndExpectSuccess();
      sdk.queueSize.add(1);
      CompletableFuture.runAsync(
          sdk::flushAndExpectSuccess,
          CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));

      MetricsView view = receiver.metrics();
      MetricPoint two =
          view.awaitLatest(QUEUE_SIZE, Map.of(), Duration.ofSeconds(10), p -> p.longValue() == 2);
      assertEquals(2, two.longValue());

      AssertionError unmet = assertThrows(
          AssertionError.class,
          () -> view.awaitLatest(QUEUE_SIZE, Map.of(), SHORT, p -> p.longValue() == 5));
      assertTrue(unmet.getMessage().contains("value=2"), unmet.getMessage());

      AssertionError missing = assertThrows(
          AssertionError.class,
          () -> view.awaitLatest("no_such_metric", Map.of(), SHORT, p -> true));
      assertTrue(missing.getMessage().contains(QUEUE_SIZE), missing.getMessage());
    }
  }

  @Test
  void refusesToReadTheWrongKindOfPoint() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).start()) {
      sdk.recordPersist("success", 0.01);
      sdk.queueSize.add(1);
      sdk.flushAndExpectSuccess();

      MetricsView view = receiver.metrics();
      MetricPoint histogram = view.latest(PERSIST_SECONDS, "outcome", "success").orElseThrow();
      MetricPoint sum = view.latest(QUEUE_SIZE).orElseThrow();
      assertThrows(IllegalStateException.class, histogram::longValue);
      assertThrows(IllegalStateException.class, histogram::isMonotonic);
      assertThrows(IllegalStateException.class, sum::count);
      assertThrows(IllegalStateException.class, sum::bucketCounts);
    }
  }

  private static Map<String, Object> resource(String instanceId) {
    return Map.of("service.name", StandInSdk.SERVICE_NAME, "service.instance.id", instanceId);
  }

  @Test
  void attributesComeInPairs() {
    assertEquals(Map.of("a", "1", "b", "2"), attributes("a", "1", "b", "2"));
    assertThrows(IllegalArgumentException.class, () -> attributes("a"));
  }
}
