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
 * The agent keeps its totals per thread: threads that end while the application runs (20 waves of
 * 50 platform threads, exported every 200 ms so ended threads are folded in between) and, on Java
 * 21+, as many virtual threads (which share one cell) lose or repeat no count.
 */
class ThreadChurnTest {

  private static final int WAVES = 20;
  private static final int THREADS = 50;
  private static final int CALLS = 200;

  @TempDir Path dir;

  @Test
  void countsFromEndedAndVirtualThreadsAreExact() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentUnderTest.writeConfig(dir, "agent.yaml", AgentUnderTest.concat(
          AgentUnderTest.persistTarget(LoadTarget.Ledger.class.getName(), "persist"),
          AgentUnderTest.exportTo(receiver, "200ms"),
          AgentUnderTest.PATIENT_EXIT));
      Map<String, Long> churn;
      try (ChildJvm app =
          AgentUnderTest.jvmWithAgent("churn", config)
              .classpath(AgentUnderTest.testClasses())
              .mainClass(ThreadChurnTarget.class.getName())
              .args(Integer.toString(WAVES), Integer.toString(THREADS), Integer.toString(CALLS))
              .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
        churn = AgentUnderTest.reportLine(app.stdout(), "CHURN");
        assertEquals(0, AgentUnderTest.agentLogLines(app, "WARN").size(), app.stderr());
      }
      long platformCalls = (long) WAVES * THREADS * CALLS;
      assertEquals(platformCalls * (1 + churn.get("virtual")), churn.get("calls"));
      assertEquals(churn.get("java") >= 21 ? 1L : 0L, churn.get("virtual"), "virtual threads ran where the JVM has them");
      ExportedTotals.awaitExactly(receiver.metrics(), churn, Duration.ofSeconds(10));
    }
  }
}
