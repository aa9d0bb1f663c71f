package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.HostSafetyTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording that fails inside the agent, provoked through ordinary application objects
 * ({@link HostSafetyTarget}): the application sees exactly its own results, the failures are
 * reported once each, and every other count stays exact.
 */
class HostSafetyTest {

  private static final int ROUNDS = 2000;

  @TempDir
  Path dir;

  @Test
  void failuresInsideRecordingNeverReachTheApplication() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {
                "persist:",
                "  targets:",
                "    - class: " + HostSafetyTarget.Store.class.getName(),
                "      methods: [save, fail, saveAsync]",
                "queue:",
                "  targets:",
                "    - class: " + HostSafetyTarget.Backlog.class.getName(),
                "    - class: " + HostSafetyTarget.SizelessQueue.class.getName(),
                "      dequeue: [poll, clear]",
              },
              AgentHarness.exportTo(receiver, "500ms"),
              AgentHarness.PATIENT_EXIT));
      Map<String, Long> safety;
      List<String> warnings;
      try (ChildJvm app = AgentHarness.jvmWithAgent("host-safety", config)
          .classpath(AgentHarness.testClasses())
          .mainClass(HostSafetyTarget.class.getName())
          .args(Integer.toString(ROUNDS))
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        safety = AgentHarness.reportLine(app.stdout(), "SAFETY");
        warnings = AgentHarness.agentLogLines(app, "WARN");
      }
      assertEquals(
          0L, safety.get("mismatches"), "the application saw a changed value or exception");
      assertEquals((long) ROUNDS, safety.get("unobservable"));
      ExportedTotals.awaitExactly(receiver.metrics(), safety, Duration.ofSeconds(10));
      ExportedTotals.awaitQueueSize(
          receiver.metrics(), safety.get("queue_size"), Duration.ofSeconds(10));

      // Reported once per kind of failure, not once per call.
      assertEquals(2, warnings.size(), String.join("\n", warnings));
      assertTrue(
          warnings.stream()
              .allMatch(line -> line.contains("a measurement was lost to an internal error")),
          String.join("\n", warnings));
      assertTrue(
          warnings.stream().anyMatch(line -> line.contains("callbacks are not supported here")),
          String.join("\n", warnings));
      assertTrue(
          warnings.stream().anyMatch(line -> line.contains("this queue does not know its size")),
          String.join("\n", warnings));
    }
  }
}
