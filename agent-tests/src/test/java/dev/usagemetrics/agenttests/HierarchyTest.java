package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.targets.HierarchyTarget;
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
 * A persist target named by an interface or an abstract class covers every implementation, and
 * every logical call is counted exactly once however the hierarchy routes it (super calls,
 * delegation, default methods, bridge methods, late loading). Calls through a lambda implementing
 * the interface are the documented exception: its hidden class cannot be instrumented.
 */
class HierarchyTest {

  @TempDir
  Path dir;

  @Test
  void everyImplementationCountsOncePerLogicalCall() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {
                "persist:",
                "  targets:",
                "    - class: " + HierarchyTarget.Repository.class.getName(),
                "      methods: [persist, persistAll]",
                "    - class: " + HierarchyTarget.AbstractLedger.class.getName(),
                "      methods: [record]",
              },
              AgentHarness.exportTo(receiver, "60s")));
      Map<String, Long> calls;
      try (ChildJvm app = AgentHarness.jvmWithAgent("hierarchy", config)
          .classpath(AgentHarness.testClasses())
          .mainClass(HierarchyTarget.class.getName())
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        calls = AgentHarness.reportLine(app.stdout(), "HIERARCHY");
        assertEquals(List.of(), AgentHarness.agentProblems(app));
      }
      assertEquals(
          Map.of("success", 5115L, "validation", 15L, "timeout", 5L, "lambda", 7L),
          calls,
          "the target's own plan");

      // The fallback's failed inner call is not an error of its own: the logical call succeeded.
      EndToEndTest.assertSuccessesAndErrors(receiver.metrics(), calls);
    }
  }
}
