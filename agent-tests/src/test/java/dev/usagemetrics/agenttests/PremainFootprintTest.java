package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What premain loads on the application's main thread before {@code main} runs, read from the
 * JVM's own class-loading log: that is where the agent's startup cost sits (docs/internals.md,
 * "Premain's path"). A configuration in the usual block style is read without the YAML engine,
 * the agent spins no lambda of its own, and the number of its classes stays within a budget.
 */
class PremainFootprintTest {

  /**
   * The agent's classes loaded on the main thread before {@code main}: 87 at the time of writing
   * (the configuration, bridge, recorder and transformer; 189 while the YAML engine composed the
   * configuration). Raise it only with a measurement showing what the new classes cost premain
   * (docs/benchmarks.md).
   */
  private static final int AGENT_CLASS_BUDGET = 100;

  private static final String AGENT_PACKAGE = "dev.usagemetrics.agent.";
  private static final String RELOCATED_YAML_ENGINE = AGENT_PACKAGE + "shaded.org.snakeyaml.";
  /** The bridge, defined in the bootstrap loader, keeps its two thread-local initializers. */
  private static final String BRIDGE_PACKAGE = AGENT_PACKAGE + "bootstrap.";

  @TempDir
  Path dir;

  @Test
  void premainLoadsFewClassesOfItsOwnAndNoYamlEngine() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {"# the usual block style, as in config/usage-metrics-agent.yaml"},
              AgentHarness.persistTarget(ConfigTarget.Store.class.getName(), "save"),
              AgentHarness.exportTo(receiver, "1h")));
      Path classLoads = dir.resolve("class-loads.log");
      try (ChildJvm app = AgentHarness.jvmWithAgent("premain-footprint", config)
          .jvmOptions("-Xlog:class+load:file=" + classLoads + ":tid")
          .classpath(AgentHarness.testClasses())
          .mainClass(ConfigTarget.class.getName())
          .args("0")
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.stderr());
        assertEquals(List.of(), AgentHarness.agentProblems(app));
      }

      List<String> beforeMain = mainThreadLoadsBefore(classLoads, ConfigTarget.class.getName());
      List<String> agentClasses = new ArrayList<>();
      for (String className : beforeMain) {
        if (className.startsWith(AGENT_PACKAGE)) {
          agentClasses.add(className);
        }
      }
      assertNone(
          agentClasses.stream()
              .filter(name -> name.startsWith(RELOCATED_YAML_ENGINE))
              .toList(),
          "a block-style configuration is read without the YAML engine");
      assertNone(
          agentClasses.stream()
              .filter(name -> name.contains("$$Lambda") && !name.startsWith(BRIDGE_PACKAGE))
              .toList(),
          "premain spins no lambda of the agent's own: each costs ~0.4 ms, the JVM's first ~8 ms");
      assertTrue(
          agentClasses.size() <= AGENT_CLASS_BUDGET,
          agentClasses.size() + " agent classes loaded before main, budget " + AGENT_CLASS_BUDGET
              + ":\n" + String.join("\n", agentClasses));
    }
  }

  private static void assertNone(List<String> classNames, String why) {
    assertTrue(
        classNames.isEmpty(),
        why + "; loaded before main: " + classNames.size() + ", the first "
            + classNames.subList(0, Math.min(5, classNames.size())));
  }

  /**
   * The classes the main thread loaded before {@code mainClass}, in order. The JVM's main thread
   * loads the first class of all, so its id is the first line's.
   */
  private static List<String> mainThreadLoadsBefore(Path classLoads, String mainClass) {
    List<String> lines;
    try {
      lines = Files.readAllLines(classLoads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String mainThread = lines.get(0).substring(0, lines.get(0).indexOf(']') + 1);
    List<String> loaded = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith(mainThread + " ")) {
        continue;
      }
      String className =
          line.substring(mainThread.length() + 1, line.indexOf(' ', mainThread.length() + 1));
      if (className.equals(mainClass)) {
        return loaded;
      }
      loaded.add(className);
    }
    throw new AssertionError(mainClass + " never loaded on the main thread " + mainThread);
  }
}
