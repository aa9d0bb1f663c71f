package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configured targets that never match anything are reported, not silently ignored. */
class TargetWarningsTest {

  private static final String STORE = ConfigTarget.Store.class.getName();
  private static final String NEVER_LOADED = ConfigTarget.NeverLoaded.class.getName();

  @TempDir
  Path dir;

  @Test
  void missingMethodIsReportedAtClassLoadAndAClassThatNeverLoadsAfterTheDelayAndAtExit() {
    Path config = AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        "log:",
        "  unmatched_targets_after: 3s",
        "persist:",
        "  targets:",
        "    - class: " + STORE,
        "      methods: [savee]",
        "    - class: " + NEVER_LOADED,
        "      methods: [save]",
        "export:",
        "  otlp_enabled: false");
    String missingMethod = "WARN configured class " + STORE
        + " has no method named 'savee' (did you mean 'save'?), so nothing is measured for it";
    String neverLoaded = "WARN configured class [" + NEVER_LOADED + "] never loaded ";
    try (ChildJvm app = AgentHarness.jvmWithAgent("target-warnings", config)
        .classpath(AgentHarness.testClasses())
        .mainClass(ConfigTarget.class.getName())
        .args(
            "0",
            "5000") // stays up 5 s after loading the store: past the 3 s delay, however slow the
        // start
        .start()) {
      app.awaitOutput(missingMethod, Duration.ofSeconds(20));
      assertFalse(
          app.stdout().contains("CONFIG-TARGET done"),
          "reported when the class loaded, not at exit");
      assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.stderr());

      String stderr = app.stderr();
      assertEquals(1, AgentHarness.occurrences(stderr, missingMethod), stderr);
      assertEquals(
          1, AgentHarness.occurrences(stderr, neverLoaded + "within 3 s of startup"), stderr);
      assertEquals(
          1, AgentHarness.occurrences(stderr, neverLoaded + "before the JVM exited"), stderr);
      assertEquals(
          2,
          AgentHarness.occurrences(stderr, "never loaded"),
          "the store did load: never reported as unloaded\n" + stderr);
      assertTrue(
          stderr.indexOf(neverLoaded + "within")
              < stderr.indexOf(neverLoaded + "before the JVM exited"),
          stderr);
    }
  }
}
