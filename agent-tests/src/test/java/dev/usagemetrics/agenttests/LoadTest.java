package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.targets.LoadTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16 threads × 100 000 persist calls with every outcome, and a shared queue (a wrapper, not a JDK
 * subclass) with concurrent producers and consumers: every count is exact, and the queue gauge is
 * the queue's real size at the end.
 */
class LoadTest {

  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 100_000;

  @TempDir
  Path dir;

  @Test
  void everyCountIsExactUnderConcurrentLoad() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {
                "persist:",
                "  targets:",
                "    - class: " + LoadTarget.Ledger.class.getName(),
                "      methods: [persist]",
                "queue:",
                "  targets:",
                "    - class: " + LoadTarget.Backlog.class.getName(),
                "      enqueue: [offer]",
                "      dequeue: [poll]",
              },
              AgentHarness.exportTo(receiver, "500ms"),
              AgentHarness.PATIENT_EXIT));
      Map<String, Long> load;
      try (ChildJvm app = AgentHarness.jvmWithAgent("load", config)
          .classpath(AgentHarness.testClasses())
          .mainClass(LoadTarget.class.getName())
          .args(Integer.toString(THREADS), Integer.toString(CALLS_PER_THREAD))
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
        load = AgentHarness.reportLine(app.stdout(), "LOAD");
        assertEquals(0, AgentHarness.agentLogLines(app, "WARN").size(), app.stderr());
      }
      assertEquals((long) THREADS * CALLS_PER_THREAD, load.get("calls"));
      assertEquals(
          load.get("offered") - load.get("polled"),
          load.get("queue_size"),
          "the application's own books balance");
      ExportedTotals.awaitExactly(receiver.metrics(), load, Duration.ofSeconds(10));
      ExportedTotals.awaitQueueSize(
          receiver.metrics(), load.get("queue_size"), Duration.ofSeconds(10));
    }
  }
}
