package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.BacklogTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured queue that inherits all its methods from {@code ArrayBlockingQueue}: every way
 * elements enter or leave is counted, concurrently and alone, and no other queue of the JVM is,
 * nor is any JDK class instrumented for it.
 */
class InheritedQueueTest {

  @TempDir
  Path dir;

  @Test
  void gaugeEqualsSizeAfterEveryOperationOfAJdkDerivedQueue() {
    int scrapePort = AgentHarness.freePort();
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {"log:", "  level: debug"},
              BacklogWorkout.queueConfig(),
              AgentHarness.exportTo(receiver, "60s"),
              AgentHarness.scrapeEndpoint(scrapePort)));
      long expectedGauge;
      try (ChildJvm app = AgentHarness.jvmWithAgent("backlog", config)
          .classpath(AgentHarness.testClasses())
          .mainClass(BacklogTarget.class.getName())
          .args(Integer.toString(scrapePort))
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        expectedGauge = BacklogWorkout.assertGaugeFollowedSize(app.stdout());
        assertEquals(
            expectedGauge, AgentHarness.reportLine(app.stdout(), "BACKLOG").get("final_size"));
        assertTrue(expectedGauge > 0);
        assertEquals(
            List.of("dev.usagemetrics.targets.Backlog"),
            instrumentedClasses(app.stderr()),
            "the JDK's queue classes stay untouched: other queues pay nothing");
        assertEquals(List.of(), AgentHarness.agentProblems(app));
      }
      assertEquals(
          expectedGauge,
          receiver
              .metrics()
              .awaitLatest(QUEUE_SIZE, Map.of(), Duration.ofSeconds(10), p -> true)
              .longValue());
    }
  }

  /** Classes the agent's debug log says it instrumented. */
  static List<String> instrumentedClasses(String stderr) {
    return stderr
        .lines()
        .filter(line -> line.contains(" DEBUG instrumented "))
        .map(line ->
            line.substring(line.indexOf(" DEBUG instrumented ") + " DEBUG instrumented ".length()))
        .map(rest -> rest.split(" ")[0])
        .collect(Collectors.toList());
  }
}
