package dev.usagemetrics.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.StandInSdk;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's table: calls, latency quantiles, errors and queue size per instance. */
class LiveSummaryTest {

  @Test
  void summarizesEachInstanceInAnAlignedTable() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC);
        StandInSdk sdk = StandInSdk.exportingTo(receiver).instanceId("i-1").start()) {
      for (int i = 0; i < 4; i++) {
        sdk.recordPersist("success", 0.003); // all in (1ms, 5ms]: p50 3ms, p99 4.96ms
      }
      sdk.recordPersist("error", 0.0005);
      sdk.recordPersist("error", 3.0);
      sdk.recordError("timeout", 2);
      sdk.recordError("db_error", 1);
      sdk.queueSize.add(3);
      sdk.flushAndExpectSuccess();

      Instant exportedAt = receiver.requests().get(0).receivedAt();
      String summary =
          LiveSummary.render(receiver.metrics(), exportedAt.plusSeconds(2), ZoneOffset.UTC);

      String clock =
          DateTimeFormatter.ofPattern("HH:mm:ss").format(exportedAt.atZone(ZoneOffset.UTC));
      assertEquals(
          List.of(
              "",
              "testkit-sdk  instance i-1  last export " + clock + " (2s ago, grpc)",
              "  outcome       calls       p50       p99",
              "  success           4       3ms       5ms",
              "  error             2    <= 1ms       >1s",
              "  errors     db_error 1, timeout 2",
              "  queue size 3"),
          summary.lines().toList());
    }
  }

  @Test
  void saysItIsWaitingBeforeTheFirstExport() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      assertEquals(
          List.of("  waiting for the first export..."),
          LiveSummary.render(receiver.metrics(), Instant.now(), ZoneOffset.UTC)
              .lines()
              .toList());
    }
  }
}
