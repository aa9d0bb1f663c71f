package dev.usagemetrics.agenttests;

import static dev.usagemetrics.agenttests.AgentUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.ReceivedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * JVM exit: the last values are exported on every way out, and a collector that never answers
 * cannot hold the exit longer than {@code export.shutdown_timeout} (plus the JVM's own exit).
 */
class ExitExportTest {

  /** What the JVM's own exit may add to export.shutdown_timeout. */
  private static final Duration EXIT_SLACK = Duration.ofSeconds(2);
  private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  /** The ways a JVM ends, as {@link dev.usagemetrics.targets.StepTarget} is told to. */
  enum ExitPath {
    RETURN_FROM_MAIN(0),
    SYSTEM_EXIT(0),
    SIGTERM(143);

    final int exitCode;

    ExitPath(int exitCode) {
      this.exitCode = exitCode;
    }

    void take(ChildJvm app) {
      switch (this) {
        case RETURN_FROM_MAIN -> app.sendLine("exit");
        case SYSTEM_EXIT -> app.sendLine("system-exit");
        case SIGTERM -> app.sendSigterm();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ExitPath.class)
  void lastValuesAreExportedOnExitWithinTheBound(ExitPath exitPath) {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      // 60 s: no periodic export happens during the run, only the one on exit can deliver.
      Path config = AgentUnderTest.writeConfig(dir, "agent.yaml", AgentUnderTest.stepTargetConfig(AgentUnderTest.exportTo(receiver, "60s")));
      try (ChildJvm app = AgentUnderTest.startStepTarget("exit-" + exitPath, config)) {
        Map<String, Long> work = run(app, "work", 500);
        long exitMillis = timeToExit(app, exitPath);
        System.out.printf("[%s] exit took %d ms%n", exitPath, exitMillis);
        assertTrue(exitMillis <= DEFAULT_SHUTDOWN_TIMEOUT.plus(EXIT_SLACK).toMillis(), "exit took " + exitMillis + " ms");
        assertEquals(1, receiver.requestCount(), "only the export on exit delivered");
        ExportedTotals.awaitExactly(receiver.metrics(), work, Duration.ofSeconds(5));
        assertEquals(0, AgentUnderTest.agentLogLines(app, "WARN").size(), app.stderr());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void stalledCollectorNeitherSlowsTheApplicationNorHoldsTheExit(Protocol protocol) {
    Duration shutdownTimeout = Duration.ofSeconds(2);
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      Path config = AgentUnderTest.writeConfig(dir, "agent.yaml", AgentUnderTest.stepTargetConfig(AgentUnderTest.concat(
          AgentUnderTest.exportTo(receiver, "500ms"), new String[] {"  shutdown_timeout: " + shutdownTimeout.toMillis() + "ms"})));
      try (ChildJvm app = AgentUnderTest.startStepTarget("stalled-" + protocol, config)) {
        run(app, "warm", 1000);
        Map<String, Long> answered = run(app, "answered", 1500);
        ExportedTotals.awaitExactly(receiver.metrics(), answered, Duration.ofSeconds(30));
        receiver.stall();
        int beforeStalling = receiver.requestCount();
        Map<String, Long> stalled = run(app, "stalled", 1500);
        assertTrue(receiver.requests().stream().skip(beforeStalling).anyMatch(r -> r.disposition() == ReceivedRequest.Disposition.STALLED),
            "exports arrived and were never answered");

        System.out.printf("[%s] per call while answered: mean %d ns, max %d ns; stalled: mean %d ns, max %d ns%n",
            protocol, answered.get("mean_ns"), answered.get("max_ns"), stalled.get("mean_ns"), stalled.get("max_ns"));
        assertTrue(stalled.get("mean_ns") <= 10 * answered.get("mean_ns") + 1000, "same order per call: " + stalled + " vs " + answered);
        assertTrue(stalled.get("max_ns") < Duration.ofSeconds(1).toNanos(), "no call waited for the stalled export (10 s timeout): " + stalled);

        long exitMillis = timeToExit(app, ExitPath.RETURN_FROM_MAIN);
        System.out.printf("[%s] exit with a stalled collector took %d ms (shutdown_timeout %d ms)%n", protocol, exitMillis, shutdownTimeout.toMillis());
        assertTrue(exitMillis <= shutdownTimeout.plus(EXIT_SLACK).toMillis(), "exit took " + exitMillis + " ms");
        // What was delivered before the stall is still exactly what was delivered.
        ExportedTotals.awaitExactly(receiver.metrics(), answered, Duration.ofSeconds(1));
        assertTrue(app.stderr().contains("the last metrics were not exported at JVM exit"), app.stderr());
      }
    }
  }

  @Test
  void stalledExitExportHoldsTheExitAtMostTheDefaultShutdownTimeout() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      receiver.stall();
      Path config = AgentUnderTest.writeConfig(dir, "agent.yaml", AgentUnderTest.stepTargetConfig(AgentUnderTest.exportTo(receiver, "60s")));
      try (ChildJvm app = AgentUnderTest.startStepTarget("stalled-exit", config)) {
        run(app, "work", 300);
        long exitMillis = timeToExit(app, ExitPath.RETURN_FROM_MAIN);
        System.out.printf("exit with the exit export stalled took %d ms (default shutdown_timeout %d ms)%n", exitMillis, DEFAULT_SHUTDOWN_TIMEOUT.toMillis());
        assertEquals(1, receiver.requestCount(), "the export on exit was sent");
        assertTrue(exitMillis <= DEFAULT_SHUTDOWN_TIMEOUT.plus(EXIT_SLACK).toMillis(), "exit took " + exitMillis + " ms");
      }
    }
  }

  /** Takes {@code exitPath} and returns how long until the process is gone; checks its exit code. */
  private static long timeToExit(ChildJvm app, ExitPath exitPath) {
    long start = System.nanoTime();
    exitPath.take(app);
    int exitCode = app.waitFor(Duration.ofSeconds(30));
    long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertEquals(exitPath.exitCode, exitCode, app.stderr());
    return millis;
  }
}
