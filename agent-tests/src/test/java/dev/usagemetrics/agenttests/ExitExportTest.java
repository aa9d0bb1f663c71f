package dev.usagemetrics.agenttests;

import static dev.usagemetrics.agenttests.AgentHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.ReceivedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * JVM exit: the last values are exported on every way out, a collector that never answers cannot
 * hold the exit longer than {@code export.shutdown_timeout} (plus the JVM's own exit), and one
 * that cannot be reached (port refused, host unknown) holds it no longer than a working one does,
 * give or take {@link #UNREACHABLE_EXIT_MAX_DELAY}.
 */
class ExitExportTest {

  /** What the JVM's own exit may add to export.shutdown_timeout. */
  private static final Duration EXIT_SLACK = Duration.ofSeconds(2);

  private static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration UNREACHABLE_EXIT_MAX_DELAY = Duration.ofMillis(200);
  /** Rounds of exits, each collector kind once per round, compared by their medians. */
  private static final int EXIT_ROUNDS = 3;

  private static final String NOT_DELIVERED = "the last metrics were not delivered at JVM exit: ";

  @TempDir
  Path dir;

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
      Path config = AgentHarness.writeConfig(
          dir, "agent.yaml", AgentHarness.stepTargetConfig(AgentHarness.exportTo(receiver, "60s")));
      try (ChildJvm app = AgentHarness.startStepTarget("exit-" + exitPath, config)) {
        Map<String, Long> work = run(app, "work", 500);
        long exitMillis = timeToExit(app, exitPath);
        System.out.printf("[%s] exit took %d ms%n", exitPath, exitMillis);
        assertTrue(
            exitMillis <= DEFAULT_SHUTDOWN_TIMEOUT.plus(EXIT_SLACK).toMillis(),
            "exit took " + exitMillis + " ms");
        assertEquals(1, receiver.requestCount(), "only the export on exit delivered");
        ExportedTotals.awaitExactly(receiver.metrics(), work, Duration.ofSeconds(5));
        assertEquals(0, AgentHarness.agentLogLines(app, "WARN").size(), app.stderr());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void stalledCollectorNeitherSlowsTheApplicationNorHoldsTheExit(Protocol protocol) {
    Duration shutdownTimeout = Duration.ofSeconds(2);
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.stepTargetConfig(AgentHarness.concat(
              AgentHarness.exportTo(receiver, "500ms"),
              new String[] {"  shutdown_timeout: " + shutdownTimeout.toMillis() + "ms"})));
      try (ChildJvm app = AgentHarness.startStepTarget("stalled-" + protocol, config)) {
        run(app, "warm", 1000);
        Map<String, Long> answered = run(app, "answered", 1500);
        ExportedTotals.awaitExactly(receiver.metrics(), answered, Duration.ofSeconds(30));
        receiver.stall();
        int beforeStalling = receiver.requestCount();
        Map<String, Long> stalled = run(app, "stalled", 1500);
        assertTrue(
            receiver.requests().stream()
                .skip(beforeStalling)
                .anyMatch(r -> r.disposition() == ReceivedRequest.Disposition.STALLED),
            "exports arrived and were never answered");

        System.out.printf(
            "[%s] per call while answered: mean %d ns, max %d ns; stalled: mean %d ns, max %d ns%n",
            protocol,
            answered.get("mean_ns"),
            answered.get("max_ns"),
            stalled.get("mean_ns"),
            stalled.get("max_ns"));
        assertTrue(
            stalled.get("mean_ns") <= 10 * answered.get("mean_ns") + 1000,
            "same order per call: " + stalled + " vs " + answered);
        assertTrue(
            stalled.get("max_ns") < Duration.ofSeconds(1).toNanos(),
            "no call waited for the stalled export (10 s timeout): " + stalled);

        long exitMillis = timeToExit(app, ExitPath.RETURN_FROM_MAIN);
        System.out.printf(
            "[%s] exit with a stalled collector took %d ms (shutdown_timeout %d ms)%n",
            protocol, exitMillis, shutdownTimeout.toMillis());
        assertTrue(
            exitMillis <= shutdownTimeout.plus(EXIT_SLACK).toMillis(),
            "exit took " + exitMillis + " ms");
        // What was delivered before the stall is still exactly what was delivered.
        ExportedTotals.awaitExactly(receiver.metrics(), answered, Duration.ofSeconds(1));
        List<String> warnings = AgentHarness.agentLogLines(app, "WARN");
        assertEquals(
            1,
            warnings.stream().filter(line -> line.contains(NOT_DELIVERED)).count(),
            app.stderr());
        assertTrue(
            warnings.stream()
                .anyMatch(line -> line.contains(
                    NOT_DELIVERED + "the collector did not answer within export.shutdown_timeout")),
            app.stderr());
      }
    }
  }

  @Test
  void stalledExitExportHoldsTheExitAtMostTheDefaultShutdownTimeout() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      receiver.stall();
      Path config = AgentHarness.writeConfig(
          dir, "agent.yaml", AgentHarness.stepTargetConfig(AgentHarness.exportTo(receiver, "60s")));
      try (ChildJvm app = AgentHarness.startStepTarget("stalled-exit", config)) {
        run(app, "work", 300);
        long exitMillis = timeToExit(app, ExitPath.RETURN_FROM_MAIN);
        System.out.printf(
            "exit with the exit export stalled took %d ms (default shutdown_timeout %d ms)%n",
            exitMillis, DEFAULT_SHUTDOWN_TIMEOUT.toMillis());
        assertEquals(1, receiver.requestCount(), "the export on exit was sent");
        assertTrue(
            exitMillis <= DEFAULT_SHUTDOWN_TIMEOUT.plus(EXIT_SLACK).toMillis(),
            "exit took " + exitMillis + " ms");
      }
    }
  }

  /** Where an exit export goes. */
  enum Collector {
    WORKING(null),
    REFUSED_PORT("refused the connection"),
    UNRESOLVABLE_HOST("does not resolve");

    /** What the one warning says, or null when there must be none. */
    final String reason;

    Collector(String reason) {
      this.reason = reason;
    }

    String endpoint(OtlpReceiver working) {
      return switch (this) {
        case WORKING -> working.endpoint();
        case REFUSED_PORT -> "http://127.0.0.1:" + AgentHarness.freePort();
        // .invalid never resolves (RFC 2606).
        case UNRESOLVABLE_HOST -> "http://collector.invalid:4317";
      };
    }
  }

  @Test
  void unreachableCollectorHoldsTheExitNoLongerThanAWorkingOne() {
    Map<Collector, List<Long>> exitMillis = new EnumMap<>(Collector.class);
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      for (int round = 0; round < EXIT_ROUNDS; round++) {
        for (Collector collector : Collector.values()) {
          exitMillis
              .computeIfAbsent(collector, c -> new ArrayList<>())
              .add(exitWith(collector, receiver, round));
        }
      }
    }
    long working = median(exitMillis.get(Collector.WORKING));
    for (Collector collector : List.of(Collector.REFUSED_PORT, Collector.UNRESOLVABLE_HOST)) {
      long delay = median(exitMillis.get(collector)) - working;
      System.out.printf(
          "exit with the collector %s: %s ms, working: %s ms; median delay %+d ms%n",
          collector, exitMillis.get(collector), exitMillis.get(Collector.WORKING), delay);
      assertTrue(
          delay <= UNREACHABLE_EXIT_MAX_DELAY.toMillis(),
          collector + " delays the exit by " + delay + " ms: " + exitMillis);
    }
  }

  /**
   * Runs a {@link dev.usagemetrics.targets.StepTarget} exporting to {@code collector} and returns how long its
   * exit took.
   */
  private long exitWith(Collector collector, OtlpReceiver receiver, int round) {
    int requestsBefore = receiver.requestCount();
    Path config = AgentHarness.writeConfig(
        dir,
        "exit-" + collector + "-" + round + ".yaml",
        AgentHarness.stepTargetConfig(
            AgentHarness.exportTo(collector.endpoint(receiver), Protocol.GRPC, "60s")));
    try (ChildJvm app = AgentHarness.startStepTarget("exit-" + collector + "-" + round, config)) {
      run(app, "work", 300);
      long millis = timeToExit(app, ExitPath.RETURN_FROM_MAIN);
      List<String> warnings = AgentHarness.agentLogLines(app, "WARN");
      if (collector.reason == null) {
        assertEquals(List.of(), warnings, app.stderr());
        assertEquals(
            requestsBefore + 1, receiver.requestCount(), "the export on exit was delivered");
      } else {
        assertEquals(1, warnings.size(), "one line, not one per attempt:\n" + app.stderr());
        assertTrue(
            warnings.get(0).contains(NOT_DELIVERED) && warnings.get(0).contains(collector.reason),
            warnings.get(0));
      }
      return millis;
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
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
