package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agenttests.AgentHarness.Exited;
import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.targets.PacedClassLoadingTarget;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenTelemetry SDK starts once the application's start has settled, not beside it, and
 * nothing counted before is lost (docs/internals.md, "The SDK's start waits for the application's
 * start").
 */
class SettledExportStartTest {

  private static final long LOADING_MILLIS = 2_000;
  /** Far shorter than the longest wait (10 s): the export must start because the loading ended. */
  private static final long IDLE_MILLIS = 4_000;

  private static final String ACTIVE = " INFO usage-metrics-agent ";

  @TempDir
  Path dir;

  @Test
  void theExportStartsOnceClassLoadingHasSlowedAndDeliversEveryCallMadeBefore() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(ConfigTarget.Store.class.getName(), "save"),
              new String[] {"log:", "  level: info"},
              AgentHarness.exportTo(receiver, "60s")));
      Instant spawned = Instant.now();
      Exited run = AgentHarness.run(
          AgentHarness.jvmWithAgent("paced-class-loading", config)
              .classpath(AgentHarness.testClasses())
              .mainClass(PacedClassLoadingTarget.class.getName())
              .args(Long.toString(LOADING_MILLIS), Long.toString(IDLE_MILLIS)),
          Duration.ofSeconds(60));
      assertEquals(0, run.exitCode(), run.stderr());

      Map<String, Long> report =
          AgentHarness.reportLine(run.stdout(), PacedClassLoadingTarget.REPORT);
      Instant loadingEnded = Instant.ofEpochMilli(report.get("loading_ended_epoch_ms"));
      Instant active = activeLineTime(run.stderr());
      assertTrue(
          active.isAfter(loadingEnded),
          "the export started at " + active + ", while the application still loaded classes (until "
              + loadingEnded + ", spawned " + spawned + ")\n" + run.stderr());
      assertTrue(
          active.isBefore(loadingEnded.plusMillis(IDLE_MILLIS / 2)),
          "the export started at " + active + ", long after the loading ended at " + loadingEnded
              + "\n" + run.stderr());

      long saves = report.get("saves");
      assertTrue(saves > 0, run.stdout());
      assertEquals(
          saves,
          receiver
              .metrics()
              .awaitLatest(
                  PERSIST_SECONDS,
                  Map.of(OUTCOME, "success"),
                  Duration.ofSeconds(10),
                  point -> point.count() == saves)
              .count(),
          "every call made before the export started was delivered");
    }
  }

  /** When the agent logged its one line saying the export is on: the time stamp the line starts with. */
  private static Instant activeLineTime(String stderr) {
    for (String line : stderr.split("\n")) {
      int at = line.indexOf(ACTIVE);
      if (at >= 0 && line.contains(" active: ")) {
        String[] words = line.substring(0, at).trim().split(" ");
        return Instant.parse(words[words.length - 1]);
      }
    }
    throw new AssertionError("no startup summary in:\n" + stderr);
  }
}
