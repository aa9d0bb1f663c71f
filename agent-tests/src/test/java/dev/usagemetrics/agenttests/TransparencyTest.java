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

/** Return values of every type and the thrown exception instance are exactly the application's own. */
class TransparencyTest {

  @TempDir
  Path dir;

  @Test
  void returnValuesAndExceptionInstancesAreUnchanged() throws Exception {
    int calls = 2000;
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(
                  "dev.usagemetrics.targets.TransparencyTarget$Store",
                  "save",
                  "saveAll",
                  "saveInt",
                  "saveVoid",
                  "saveFailing"),
              AgentHarness.exportTo(receiver, "60s")));
      try (ChildJvm app = AgentHarness.jvmWithAgent("transparency", config)
          .classpath(AgentHarness.testClasses())
          .mainClass("dev.usagemetrics.targets.TransparencyTarget")
          .args(Integer.toString(calls))
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        Map<String, Long> result = AgentHarness.reportLine(app.stdout(), "TRANSPARENCY");
        assertEquals(
            0L, result.get("mismatches"), "the application saw a changed value or exception");
        assertEquals((long) calls, result.get("failures"));
      }
      MetricsView metrics = receiver.metrics();
      assertEquals(
          4L * calls,
          metrics
              .awaitLatest(
                  PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
              .count());
      assertEquals(
          (long) calls,
          metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count());
      EndToEndTest.assertErrors(metrics, Map.of("timeout", calls / 2L, "db_error", calls / 2L));
    }
  }
}
