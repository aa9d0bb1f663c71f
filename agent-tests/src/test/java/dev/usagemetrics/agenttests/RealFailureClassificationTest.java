package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures produced by a real H2 database ({@code H2FailuresTarget}), classified by the shipped
 * rules through the shaded agent: each counted once, under the right {@code error_type}.
 */
class RealFailureClassificationTest {

  @TempDir
  Path dir;

  @Test
  void realH2FailuresAreEachCountedOnceUnderTheRightErrorType() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(
                  "dev.usagemetrics.targets.H2FailuresTarget$UsageStore",
                  "persist",
                  "persistWithinDeadline",
                  "persistOrWrap",
                  "persistTotal",
                  "persistAfterClose"),
              AgentHarness.exportTo(receiver, "60s")));
      Map<String, Long> observed;
      try (ChildJvm app = AgentHarness.jvmWithAgent("h2-failures", config)
          .classpath(AgentHarness.testClasses(), AgentHarness.classpathEntryOf(org.h2.Driver.class))
          .mainClass("dev.usagemetrics.targets.H2FailuresTarget")
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        observed = AgentHarness.reportLine(app.stdout(), "H2FAILURES");
      }
      // Scenario i ran 2^i times, and the application saw exactly the failure each provokes.
      assertEquals(
          Map.of(
              "success",
              10L,
              "query_timeout",
              1L,
              "lock_timeout",
              2L,
              "wrapped_timeout",
              4L,
              "duplicate",
              8L,
              "value_too_long",
              16L,
              "illegal_state",
              32L,
              "unexpected",
              0L),
          observed);

      MetricsView metrics = receiver.metrics();
      assertEquals(
          10,
          metrics
              .awaitLatest(
                  PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
              .count());
      assertEquals(
          63,
          metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count(),
          "each failure counted once");
      // The totals decompose into the scenarios uniquely (powers of two), so each one is proven.
      EndToEndTest.assertErrors(
          metrics,
          Map.of(
              // query timeout (57014), lock timeout (HYT00, MVStoreException cause), wrapped
              // timeout
              "timeout", 1L + 2L + 4L,
              "db_error",
                  8L + 32L, // duplicate key (23505), IllegalStateException (no rule: the default)
              "validation", 16L)); // value too long (22001)
    }
  }
}
