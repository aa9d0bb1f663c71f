package dev.usagemetrics.testkit;

import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ReceivedRequest.Disposition;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Refusal, stalling and restarts, as an exporter sees them: its retries deliver in the end. */
class OtlpReceiverFaultTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void refusedExportIsRetriedAndDeliveredOnceAccepted(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).start()) {
      receiver.refuse();
      sdk.queueSize.add(4);
      CompletableResultCode export = sdk.flush();
      receiver.awaitRequestCount(2, WAIT); // the first try and at least one retry
      assertTrue(receiver.metrics().points().isEmpty(), "refused data must not count as delivered");

      receiver.accept();

      assertTrue(export.join(20, TimeUnit.SECONDS).isSuccess());
      List<Disposition> dispositions = dispositions(receiver);
      assertEquals(Disposition.REFUSED, dispositions.get(0));
      assertEquals(Disposition.ACCEPTED, dispositions.get(dispositions.size() - 1));
      assertEquals(4, receiver.metrics().latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }

  @Test
  void http429CarriesRetryAfterAndIsRetried() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).start()) {
      receiver.refuse(429, Duration.ofSeconds(1));
      HttpResponse<byte[]> refused = RawHttp.postProtobuf(receiver, new byte[0]);
      assertEquals(429, refused.statusCode());
      assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());

      sdk.queueSize.add(1);
      CompletableResultCode export = sdk.flush();
      receiver.awaitRequestCount(2, WAIT);
      receiver.accept();
      assertTrue(export.join(20, TimeUnit.SECONDS).isSuccess());
    }
  }

  @Test
  void refusesOnlyWithErrorCodesOfItsProtocol() {
    try (OtlpReceiver grpc = OtlpReceiver.start(Protocol.GRPC);
        OtlpReceiver http = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      assertThrows(IllegalStateException.class, () -> grpc.refuse(429, Duration.ofSeconds(1)));
      assertThrows(IllegalArgumentException.class, () -> grpc.refuse(0)); // OK
      assertThrows(IllegalArgumentException.class, () -> grpc.refuse(503));
      assertThrows(IllegalArgumentException.class, () -> http.refuse(200));
      grpc.refuse(8); // RESOURCE_EXHAUSTED
      http.refuse(502);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void stalledExportTimesOutThenDeliversOnceAccepted(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        StandInSdk sdk =
            StandInSdk.exportingTo(receiver).timeout(Duration.ofSeconds(1)).start()) {
      receiver.stall();
      sdk.queueSize.add(2);
      assertFalse(
          sdk.flush().join(20, TimeUnit.SECONDS).isSuccess(), "a stalled export must time out");
      assertEquals(Disposition.STALLED, dispositions(receiver).get(0));

      receiver.accept();
      sdk.flushAndExpectSuccess();
      assertEquals(2, receiver.metrics().latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void restartsOnTheSamePortAndKeepsWhatArrived(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        StandInSdk sdk =
            StandInSdk.exportingTo(receiver).timeout(Duration.ofSeconds(2)).start()) {
      sdk.queueSize.add(1);
      sdk.flushAndExpectSuccess();
      int port = receiver.port();

      receiver.stop();
      assertFalse(receiver.isRunning());
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
      sdk.queueSize.add(1);
      assertFalse(sdk.flush().join(20, TimeUnit.SECONDS).isSuccess(), "nobody is listening");

      receiver.restart();
      assertTrue(receiver.isRunning());
      assertEquals(port, receiver.port());
      sdk.queueSize.add(1);
      sdk.flushAndExpectSuccess();

      receiver.restart(); // while running, with the exporter's connection open
      assertEquals(port, receiver.port());
      sdk.queueSize.add(1);
      sdk.flushAndExpectSuccess();

      MetricsView view = receiver.metrics();
      assertEquals(3, view.points(QUEUE_SIZE).size(), "every delivery is kept");
      assertEquals(4, view.latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }

  private static List<Disposition> dispositions(OtlpReceiver receiver) {
    return receiver.requests().stream()
        .map(ReceivedRequest::disposition)
        .collect(Collectors.toList());
  }
}
