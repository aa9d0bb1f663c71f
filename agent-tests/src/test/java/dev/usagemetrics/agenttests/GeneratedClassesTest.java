package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.GeneratedClassesTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.bytebuddy.ByteBuddy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes generated at run time that implement or extend a configured type are measured like
 * named ones: JDK dynamic proxies (in the JDK's dynamic module {@code jdk.proxyN}, which must be
 * made to read the bridge), a CGLIB-style subclass and a ByteBuddy subclass in a loader of its
 * own; a proxy delegating to a measured implementation counts once per call.
 */
class GeneratedClassesTest {

  @TempDir
  Path dir;

  @Test
  void proxiesAndGeneratedSubclassesAreMeasuredOncePerCall() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {"log:", "  level: debug"},
              AgentHarness.persistTarget(GeneratedClassesTarget.Store.class.getName(), "persist"),
              AgentHarness.exportTo(receiver, "60s")));
      Map<String, Long> calls;
      List<String> generated;
      try (ChildJvm app = AgentHarness.jvmWithAgent("generated-classes", config)
          .classpath(AgentHarness.testClasses(), AgentHarness.classpathEntryOf(ByteBuddy.class))
          .mainClass(GeneratedClassesTarget.class.getName())
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        calls = AgentHarness.reportLine(app.stdout(), "GENERATED");
        generated = generatedClasses(app.stdout());
        for (String className : generated) {
          assertTrue(
              app.stderr().contains("DEBUG instrumented " + className + "\n"),
              className + " instrumented:\n" + app.stderr());
        }
        assertEquals(List.of(), AgentHarness.agentProblems(app));
      }
      assertEquals(4, generated.size(), generated.toString());
      assertTrue(
          generated.get(0).startsWith("jdk.proxy") && generated.get(0).contains(".$Proxy"),
          "a proxy of a public interface is the JDK's: " + generated);
      assertEquals(
          Map.of("success", 155L, "validation", 31L, "timeout", 31L),
          calls,
          "the target's own plan");

      EndToEndTest.assertSuccessesAndErrors(receiver.metrics(), calls);
    }
  }

  /** The names of the generated classes the target printed (without their modules). */
  private static List<String> generatedClasses(String stdout) {
    String line = stdout
        .lines()
        .filter(l -> l.startsWith("GENERATED-CLASSES "))
        .findFirst()
        .orElseThrow();
    return List.of(line.substring("GENERATED-CLASSES ".length()).split(" ")).stream()
        .map(entry -> entry.substring(0, entry.indexOf('@')))
        .collect(Collectors.toList());
  }
}
