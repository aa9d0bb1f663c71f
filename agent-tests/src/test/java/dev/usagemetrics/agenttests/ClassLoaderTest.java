package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.targets.Backlog;
import dev.usagemetrics.targets.ClassLoaderTarget;
import dev.usagemetrics.targets.LoaderWorkload;
import dev.usagemetrics.targets.boot.BootWorkload;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets loaded by the system loader, by an isolated loader that cannot see the agent, by a
 * throwaway loader, and by the bootstrap loader all reach the recorder; and the agent keeps no
 * class loader alive: the throwaway one is collected inside the child JVM.
 */
class ClassLoaderTest {

  @TempDir
  Path dir;

  @Test
  void everyClassLoaderIsMeasuredAndNoneIsKeptAlive() {
    Path bootClasses =
        AgentHarness.copyPackage(BootWorkload.class.getPackageName(), dir.resolve("boot"));
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {
                "persist:",
                "  targets:",
                "    - class: " + LoaderWorkload.Store.class.getName(),
                "      methods: [persist, persistAsync]",
                "    - class: " + BootWorkload.class.getName(),
                "      methods: [persist]",
                "queue:",
                "  targets:",
                "    - class: " + Backlog.class.getName(),
                "    - class: " + BootWorkload.BootBacklog.class.getName(),
              },
              AgentHarness.exportTo(receiver, "60s")));
      Map<String, Long> observed;
      try (ChildJvm app = AgentHarness.jvmWithAgent("class-loaders", config)
          .jvmOptions("-Xbootclasspath/a:" + bootClasses)
          .classpath(AgentHarness.testClasses())
          .mainClass(ClassLoaderTarget.class.getName())
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        observed = AgentHarness.reportLine(app.stdout(), "LOADERS");
        assertEquals(List.of(), AgentHarness.agentProblems(app));
      }
      assertEquals(
          1L,
          observed.get("boot_loaded"),
          "the boot workload ran in the bootstrap loader: " + observed);
      assertEquals(
          0L,
          observed.get("isolated_sees_agent"),
          "the isolated loader cannot see the agent: " + observed);
      assertEquals(1L, observed.get("collected"), "the dropped loader was collected: " + observed);

      MetricsView metrics = receiver.metrics();
      assertEquals(
          observed.get("success"),
          metrics
              .awaitLatest(
                  PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
              .count());
      EndToEndTest.assertErrors(
          metrics,
          Map.of(
              "validation",
              observed.get("validation"),
              "db_error",
              observed.get("db_error"),
              "timeout",
              observed.get("timeout")));
      assertEquals(
          observed.get("validation") + observed.get("db_error") + observed.get("timeout"),
          metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count());
      assertEquals(
          observed.get("queued"), metrics.latest(QUEUE_SIZE).orElseThrow().longValue());
    }
  }
}
