package dev.usagemetrics.agenttests;

import static dev.usagemetrics.targets.AsyncTarget.CANCELLATIONS;
import static dev.usagemetrics.targets.AsyncTarget.COMPLETED_SUCCESSES;
import static dev.usagemetrics.targets.AsyncTarget.DUPLICATES;
import static dev.usagemetrics.targets.AsyncTarget.INVALID;
import static dev.usagemetrics.targets.AsyncTarget.NEVER_COMPLETED;
import static dev.usagemetrics.targets.AsyncTarget.NULL_RETURNS;
import static dev.usagemetrics.targets.AsyncTarget.SLOW_MILLIS;
import static dev.usagemetrics.targets.AsyncTarget.SLOW_SUCCESSES;
import static dev.usagemetrics.targets.AsyncTarget.SYNCHRONOUS_THROWS;
import static dev.usagemetrics.targets.AsyncTarget.TIMEOUTS;
import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persist methods returning futures ({@code AsyncTarget}): timed until completion, outcome from
 * the completion, cancellations counted as the default error type, the caller gets the very
 * future the method created, and a future that never completes is neither counted nor kept alive.
 */
class AsyncPersistTest {

  @TempDir
  Path dir;

  @Test
  void futuresAreCountedExactlyOnCompletionAndNeverCompletedOnesAreNotRetained() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(
                  "dev.usagemetrics.targets.AsyncTarget$AsyncStore",
                  "saveSlowly",
                  "saveFailing",
                  "saveCompleted",
                  "saveNothing",
                  "saveRejected",
                  "saveEventually"),
              AgentHarness.exportTo(receiver, "60s")));
      Map<String, Long> observed;
      try (ChildJvm app = AgentHarness.jvmWithAgent("async", config)
          .classpath(AgentHarness.testClasses())
          .mainClass("dev.usagemetrics.targets.AsyncTarget")
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        observed = AgentHarness.reportLine(app.stdout(), "ASYNC");
      }
      assertEquals(
          Map.of(
              "successes",
              (long) SLOW_SUCCESSES + COMPLETED_SUCCESSES,
              "failures",
              (long) TIMEOUTS + DUPLICATES + INVALID,
              "null_returns",
              (long) NULL_RETURNS,
              "synchronous_throws",
              (long) SYNCHRONOUS_THROWS,
              "cancelled",
              (long) CANCELLATIONS,
              "not_same_future",
              0L,
              "observed_never_completed",
              (long) NEVER_COMPLETED,
              "never_completed_alive",
              0L),
          observed,
          "observed_never_completed: the agent registered a callback on each;"
              + " never_completed_alive: yet none was kept alive");

      MetricsView metrics = receiver.metrics();
      MetricPoint success = metrics.awaitLatest(
          PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true);
      assertEquals(
          SLOW_SUCCESSES + COMPLETED_SUCCESSES + NULL_RETURNS,
          success.count(),
          "a null return is a success now");
      assertTrue(
          success.sum() >= SLOW_SUCCESSES * SLOW_MILLIS / 1000.0,
          "slow futures are timed until they complete, not until the method returned: sum "
              + success.sum() + " s");
      long failures = TIMEOUTS + DUPLICATES + INVALID + SYNCHRONOUS_THROWS + CANCELLATIONS;
      assertEquals(
          failures,
          metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count(),
          "the " + NEVER_COMPLETED + " futures that never completed are not counted");
      EndToEndTest.assertErrors(
          metrics,
          Map.of(
              "timeout", (long) TIMEOUTS,
              "validation", (long) INVALID,
              // duplicate key (SQLState 23505), a synchronous IllegalStateException and
              // cancellations
              // (the default type)
              "db_error", (long) DUPLICATES + SYNCHRONOUS_THROWS + CANCELLATIONS));
    }
  }
}
