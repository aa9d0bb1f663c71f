package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.ClassForest;
import dev.usagemetrics.targets.QuietAttachTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application holding about 15,000 classes, optional integrations among them (classes whose
 * signatures name absent classes, as Spring's do), gets the agent by {@code attach} and by
 * {@code -javaagent}: either way its stderr has the agent's startup line and no warning, and the
 * calls made afterwards through a named class, a JDK dynamic proxy (loaded before the attach) and
 * an implementation with an optional integration are counted exactly. The attach is quick and
 * does not hold the application up: only the four classes of the configured hierarchy are chosen
 * for retransformation, and the attach's duration and the longest gap a 10 ms ticking thread saw
 * are printed ({@code QUIET-ATTACH ...}) and asserted: the gap against the 200 ms, the
 * attach (the whole {@code attach} command, its own JVM start included) against 8 s, a guard
 * against the old behaviour (16 to 20 s on a busy machine, describing every loaded class). The
 * issue's 2 s is measured on an idle machine (the closing note): a shared machine took 4.4 s.
 */
class QuietAttachTest {

  private static final int FOREST_CLASSES = 15_000;
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  /** A guard against describing every loaded class again, not the idle-machine figure; see the class comment. */
  private static final long MAX_ATTACH_MILLIS = 8_000;

  private static final long MAX_TICK_GAP_MILLIS = 200;
  private static final Pattern CHOSEN_FOUR =
      Pattern.compile(" DEBUG 4 of [0-9]+ loaded classes chosen in ");

  @TempDir
  static Path forestDir;

  private static Path forest;

  @TempDir
  Path dir;

  @BeforeAll
  static void writeForest() throws IOException {
    forest = forestDir.resolve("forest.jar");
    ClassForest.write(forest, FOREST_CLASSES, QuietAttachTarget.Store.class.getName());
  }

  @Test
  void attachingToAnApplicationHoldingManyClassesIsQuickQuietAndExact() throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = config(receiver);
      Map<String, Long> calls;
      long loadedClasses;
      long attachMillis;
      try (ChildJvm app = target("quiet-attach").start()) {
        loadedClasses = AgentHarness.awaitReportLine(app, "READY", TIMEOUT).get("loaded_classes");
        long startNanos = System.nanoTime();
        String pid = Long.toString(app.pid());
        try (ChildJvm attach = AgentHarness.agentCommand("attach", "attach", pid, config.toString())
            .start()) {
          assertEquals(0, attach.waitFor(TIMEOUT), attach.stderr());
        }
        attachMillis = (System.nanoTime() - startNanos) / 1_000_000;
        Files.createFile(dir.resolve("attached"));
        assertEquals(0, app.waitFor(TIMEOUT), app.stderr());
        calls = AgentHarness.reportLine(app.stdout(), "QUIET");
        System.out.println("QUIET-ATTACH loaded_classes=" + loadedClasses + " attach_command_ms="
            + attachMillis + " max_tick_gap_ms=" + calls.get("max_tick_gap_ms") + " java="
            + AgentHarness.childJavaHome());
        assertPlan(calls);
        assertQuiet(app);
        // Chosen from the loaded classes without describing them: the interface and its three
        // implementations.
        assertTrue(CHOSEN_FOUR.matcher(app.stderr()).find(), app.stderr());
      }
      assertCounted(receiver, calls.get("success"), calls.get("validation"));
      assertTrue(loadedClasses > FOREST_CLASSES, loadedClasses + " classes loaded");
      assertTrue(attachMillis <= MAX_ATTACH_MILLIS, "attach took " + attachMillis + " ms");
      assertTrue(
          calls.get("max_tick_gap_ms") <= MAX_TICK_GAP_MILLIS, "the application stalled: " + calls);
    }
  }

  @Test
  void startedWithTheAgentTheSameApplicationIsQuietAndExact() throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = config(receiver);
      Files.createFile(dir.resolve("attached"));
      Map<String, Long> calls;
      try (ChildJvm app = target("quiet-javaagent")
          .javaagent(AgentHarness.agentJar(), config.toString())
          .start()) {
        assertEquals(0, app.waitFor(TIMEOUT), app.stderr());
        calls = AgentHarness.reportLine(app.stdout(), "QUIET");
        assertPlan(calls);
        assertQuiet(app);
      }
      // Started with the agent, the calls before READY count too: one per store.
      assertCounted(receiver, calls.get("success") + 3, calls.get("validation"));
    }
  }

  private Path config(OtlpReceiver receiver) {
    return AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.concat(
            new String[] {"log:", "  level: debug"},
            AgentHarness.persistTarget(QuietAttachTarget.Store.class.getName(), "persist"),
            AgentHarness.exportTo(receiver, "60s"),
            AgentHarness.PATIENT_EXIT));
  }

  private ChildJvm.Builder target(String name) {
    return AgentHarness.jvm(name)
        .classpath(
            AgentHarness.testClasses(), AgentHarness.classpathEntryOf(ByteBuddy.class), forest)
        .mainClass(QuietAttachTarget.class.getName())
        .args(dir.toString(), Integer.toString(FOREST_CLASSES));
  }

  /** The agent's startup line, and not one warning or error. */
  private static void assertQuiet(ChildJvm app) {
    assertTrue(
        app.stderr().contains(" INFO usage-metrics-agent ") && app.stderr().contains(" active: "),
        app.stderr());
    assertEquals(List.of(), AgentHarness.agentProblems(app));
  }

  private static void assertPlan(Map<String, Long> calls) {
    assertEquals(140L, calls.get("success"), "the target's own plan: " + calls);
    assertEquals(8L, calls.get("validation"), "the target's own plan: " + calls);
  }

  private static void assertCounted(OtlpReceiver receiver, long success, long validation) {
    MetricsView metrics = receiver.metrics();
    assertEquals(
        success,
        metrics
            .awaitLatest(
                PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(30), p -> true)
            .count());
    EndToEndTest.assertErrors(metrics, Map.of("validation", validation));
  }
}
