package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.AttachTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.ChildJvmFixture;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar usage-metrics-agent.jar attach} on a JVM already running its workload: the
 * classes already loaded (including a queue inheriting everything from {@code
 * ArrayBlockingQueue}) are retransformed, exactly the calls made after the attach are counted,
 * {@code list} shows the JVM, and a second attach (or an attach to a JVM started with the agent)
 * is refused without double counting.
 */
class AttachTest {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void attachCountsExactlyWhatHappensAfterItAndRefusesASecondAttach() throws IOException {
    int scrapePort = AgentHarness.freePort();
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(AttachTarget.Store.class.getName(), "persist"),
              BacklogWorkout.queueConfig(),
              AgentHarness.exportTo(receiver, "60s"),
              AgentHarness.scrapeEndpoint(scrapePort)));
      Map<String, Long> afterAttach;
      long expectedGauge;
      try (ChildJvm app = AgentHarness.jvm("running-app")
          .classpath(AgentHarness.testClasses())
          .mainClass(AttachTarget.class.getName())
          .args(dir.toString(), Integer.toString(scrapePort))
          .start()) {
        app.awaitOutput("READY", COMMAND_TIMEOUT);
        String pid = Long.toString(app.pid());

        try (ChildJvm list = AgentHarness.agentCommand("list", "list").start()) {
          assertEquals(0, list.waitFor(COMMAND_TIMEOUT), list.stderr());
          assertTrue(
              list.stdout().lines().anyMatch(line -> line.startsWith(pid + "\t")),
              "list shows the running JVM:\n" + list.stdout());
        }
        try (ChildJvm attach = AgentHarness.agentCommand("attach", "attach", pid, config.toString())
            .start()) {
          assertEquals(0, attach.waitFor(COMMAND_TIMEOUT), attach.stderr());
          assertTrue(
              attach.stdout().contains("attached usage-metrics-agent to JVM " + pid),
              attach.stdout());
        }
        Files.createFile(dir.resolve("attached"));
        app.awaitOutput("PHASE2", COMMAND_TIMEOUT);

        assertAttachRefused(pid, config);
        Files.createFile(dir.resolve("second-attach-done"));
        assertEquals(0, app.waitFor(COMMAND_TIMEOUT), app.stderr());
        expectedGauge = BacklogWorkout.assertGaugeFollowedSize(app.stdout());
        afterAttach = AgentHarness.reportLine(app.stdout(), "ATTACH");
        assertEquals(List.of(), AgentHarness.agentProblems(app));
      }
      assertEquals(
          Map.of("success", 43L, "validation", 4L, "uncounted", 3L, "late_queued", 2L),
          Map.of(
              "success",
              afterAttach.get("success"),
              "validation",
              afterAttach.get("validation"),
              "uncounted",
              afterAttach.get("uncounted"),
              "late_queued",
              afterAttach.get("late_queued")),
          "the target's own plan");
      assertEquals(afterAttach.get("backlog_size") - afterAttach.get("uncounted"), expectedGauge);

      MetricsView metrics = receiver.metrics();
      assertEquals(
          afterAttach.get("success"),
          metrics
              .awaitLatest(
                  PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
              .count());
      EndToEndTest.assertErrors(metrics, Map.of("validation", afterAttach.get("validation")));
      // Records waiting at the attach were never seen entering: the gauge counts from the attach
      // on.
      assertEquals(
          expectedGauge + afterAttach.get("late_queued"),
          metrics.latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }

  @Test
  void attachToAJvmStartedWithTheAgentIsRefused() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              BacklogWorkout.queueConfig(), AgentHarness.exportTo(receiver, "60s")));
      try (ChildJvm app = AgentHarness.jvmWithAgent("started-with-agent", config)
          .classpath(AgentHarness.testClasses())
          .mainClass(ChildJvmFixture.class.getName())
          .args("sleep")
          .start()) {
        app.awaitOutput("ready", COMMAND_TIMEOUT);
        app.awaitOutput(" active: ", COMMAND_TIMEOUT);
        assertAttachRefused(Long.toString(app.pid()), config);
        assertTrue(app.isAlive(), "the application runs on");
        assertEquals(
            1,
            AgentHarness.occurrences(app.stderr(), " active: "),
            "installed once:\n" + app.stderr());
      }
    }
  }

  private static void assertAttachRefused(String pid, Path config) {
    try (ChildJvm again = AgentHarness.agentCommand(
            "attach-again", "attach", pid, config.toString())
        .start()) {
      assertEquals(1, again.waitFor(COMMAND_TIMEOUT), again.stdout());
      assertTrue(
          again.stderr().contains("refused: usage-metrics-agent")
              && again.stderr().contains("already installed in JVM " + pid),
          again.stderr());
    }
  }
}
