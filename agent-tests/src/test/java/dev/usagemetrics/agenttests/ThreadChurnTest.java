package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.targets.LoadTarget;
import dev.usagemetrics.targets.ThreadChurnTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent keeps its totals per platform thread and in stripes shared by virtual threads: threads
 * that end while the application runs (20 waves of 50 platform threads, exported every 200 ms so
 * ended threads are folded in between) and, on Java 21+, 100,000 virtual threads started at once
 * that move between carriers mid-way, lose or repeat no count, of persist calls or of queue
 * operations (including one nested in another, counted once).
 */
class ThreadChurnTest {

  private static final int WAVES = 20;
  private static final int THREADS = 50;
  private static final int CALLS = 200;
  private static final int VIRTUAL_THREADS = 100_000;
  private static final int VIRTUAL_CALLS = 5;

  @TempDir
  Path dir;

  @Test
  void countsFromEndedAndVirtualThreadsAreExact() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              AgentHarness.persistTarget(LoadTarget.Ledger.class.getName(), "persist"),
              new String[] {
                "queue:",
                "  targets:",
                "    - class: " + ThreadChurnTarget.Pending.class.getName(),
                "      enqueue: [offer, add]",
                "      dequeue: [poll]",
              },
              AgentHarness.exportTo(receiver, "200ms"),
              AgentHarness.PATIENT_EXIT));
      Map<String, Long> churn;
      try (ChildJvm app = AgentHarness.jvmWithAgent("churn", config)
          .classpath(AgentHarness.testClasses())
          .mainClass(ThreadChurnTarget.class.getName())
          .args(
              Integer.toString(WAVES),
              Integer.toString(THREADS),
              Integer.toString(CALLS),
              Integer.toString(VIRTUAL_THREADS),
              Integer.toString(VIRTUAL_CALLS))
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
        churn = AgentHarness.reportLine(app.stdout(), "CHURN");
        assertEquals(0, AgentHarness.agentLogLines(app, "WARN").size(), app.stderr());
      }
      long platformCalls = (long) WAVES * THREADS * CALLS;
      long virtualCalls = (long) VIRTUAL_THREADS * VIRTUAL_CALLS;
      assertEquals(platformCalls + churn.get("virtual") * virtualCalls, churn.get("calls"));
      assertEquals(
          churn.get("java") >= 21 ? 1L : 0L,
          churn.get("virtual"),
          "virtual threads ran where the JVM has them");
      assertEquals(
          WAVES * THREADS + churn.get("virtual") * VIRTUAL_THREADS,
          churn.get("pending"),
          "one element left per thread");
      ExportedTotals.awaitExactly(receiver.metrics(), churn, Duration.ofSeconds(10));
      ExportedTotals.awaitQueueSize(
          receiver.metrics(), churn.get("pending"), Duration.ofSeconds(10));
    }
  }
}
