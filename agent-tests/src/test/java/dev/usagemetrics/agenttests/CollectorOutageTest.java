package dev.usagemetrics.agenttests;

import static dev.usagemetrics.agenttests.AgentHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A collector that is down, goes away or refuses: the application never waits for it, the agent
 * says so once, and because temporality is cumulative the totals are exact once it is back.
 */
class CollectorOutageTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void collectorDownAtStartCostsTheApplicationNothingAndTotalsAreExactOnceItIsUp(
      Protocol protocol) {
    int port = AgentHarness.freePort();
    Path config = config("http://127.0.0.1:" + port, protocol);
    try (ChildJvm app = AgentHarness.startStepTarget("down-at-start-" + protocol, config)) {
      run(app, "warm", 1500);
      Map<String, Long> down = run(app, "down", 2000);
      try (OtlpReceiver receiver = OtlpReceiver.start(protocol, port)) {
        ExportedTotals.awaitExactly(receiver.metrics(), down, ARRIVAL);
        Map<String, Long> up = run(app, "up", 1500);
        ExportedTotals.awaitExactly(receiver.metrics(), up, ARRIVAL);

        System.out.printf(
            "[%s] per call with the collector down: mean %d ns, max %d ns; up: mean %d ns, max %d ns%n",
            protocol, down.get("mean_ns"), down.get("max_ns"), up.get("mean_ns"), up.get("max_ns"));
        assertTrue(
            down.get("mean_ns") <= 10 * up.get("mean_ns") + 1000,
            "a call costs the same order with the collector down: " + down + " vs " + up);
        assertTrue(
            down.get("max_ns") < Duration.ofSeconds(1).toNanos(),
            "no call waited for an export (1 s timeout): " + down);

        app.sendLine("exit");
        assertEquals(0, app.waitFor(ARRIVAL), app.stderr());
      }
      assertOneExportWarning(app);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void collectorThatGoesAwayAndComesBackOnTheSamePortGetsExactTotals(Protocol protocol) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        ChildJvm app = AgentHarness.startStepTarget(
            "away-and-back-" + protocol, config(receiver.endpoint(), protocol))) {
      ExportedTotals.awaitExactly(receiver.metrics(), run(app, "before", 500), ARRIVAL);
      receiver.stop();
      run(app, "away", 2000);
      receiver.restart();
      Map<String, Long> after = run(app, "after", 500);
      ExportedTotals.awaitExactly(receiver.metrics(), after, ARRIVAL);
      app.sendLine("exit");
      assertEquals(0, app.waitFor(ARRIVAL), app.stderr());
      assertOneExportWarning(app);
    }
  }

  /** How a collector says "not now". */
  enum Refusal {
    GRPC_UNAVAILABLE(Protocol.GRPC),
    HTTP_503(Protocol.HTTP_PROTOBUF),
    HTTP_429_WITH_RETRY_AFTER(Protocol.HTTP_PROTOBUF);

    final Protocol protocol;

    Refusal(Protocol protocol) {
      this.protocol = protocol;
    }

    void applyTo(OtlpReceiver receiver) {
      switch (this) {
        case HTTP_429_WITH_RETRY_AFTER -> receiver.refuse(429, Duration.ofSeconds(1));
        default -> receiver.refuse(); // gRPC UNAVAILABLE, HTTP 503
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Refusal.class)
  void collectorThatRefusesForAWhileGetsExactTotalsAfterwards(Refusal refusal) {
    try (OtlpReceiver receiver = OtlpReceiver.start(refusal.protocol);
        ChildJvm app = AgentHarness.startStepTarget(
            "refused-" + refusal, config(receiver.endpoint(), refusal.protocol))) {
      ExportedTotals.awaitExactly(receiver.metrics(), run(app, "before", 500), ARRIVAL);
      refusal.applyTo(receiver);
      int beforeRefusing = receiver.requestCount();
      run(app, "refused", 2000);
      assertTrue(
          receiver.requests().stream()
              .skip(beforeRefusing)
              .anyMatch(request -> !request.accepted()),
          "exports arrived and were refused");
      receiver.accept();
      Map<String, Long> after = run(app, "after", 500);
      ExportedTotals.awaitExactly(receiver.metrics(), after, ARRIVAL);
      app.sendLine("exit");
      assertEquals(0, app.waitFor(ARRIVAL), app.stderr());
      assertOneExportWarning(app);
    }
  }

  /**
   * Exports every 500 ms; a 1 s export timeout (retries included) lets a failed export end, and be reported,
   * while down.
   */
  private Path config(String endpoint, Protocol protocol) {
    return AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.stepTargetConfig(AgentHarness.concat(
            AgentHarness.exportTo(endpoint, protocol, "500ms"), new String[] {"  timeout: 1s"})));
  }

  private static void assertOneExportWarning(ChildJvm app) {
    List<String> warnings = AgentHarness.agentLogLines(app, "WARN");
    assertEquals(
        1,
        warnings.size(),
        "one warning about the export failures, not one per attempt:\n" + app.stderr());
    assertTrue(warnings.get(0).contains("Failed to export"), warnings.get(0));
  }
}
