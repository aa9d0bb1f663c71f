package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agenttests.AgentHarness.Exited;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar usage-metrics-agent.jar check <config.yaml>}: validates offline, prints the effective
 * configuration.
 */
class CheckCommandTest {

  private static final String SECRET = "s3cr3t-token-value";

  @TempDir
  Path dir;

  @Test
  void validConfigurationIsPrintedWithDefaultsAndHeaderValuesRedacted() {
    Path config = AgentHarness.writeConfig(
        dir,
        "good.yaml",
        "persist:",
        "  targets: [{class: com.acme.Repo, methods: save}]",
        "export:",
        "  headers:",
        "    Authorization: \"Bearer ${TOKEN}\"",
        "    X-Api-Key: inline-key-123");
    Exited check = AgentHarness.run(
        AgentHarness.agentCommand("check", "check", config.toString()).env("TOKEN", SECRET),
        Duration.ofSeconds(30));

    assertEquals(0, check.exitCode(), check.stderr());
    String out = check.stdout();
    assertTrue(
        out.startsWith(config + ": valid\nstrict: false\nlog:\n  level: info\n  file: (stderr)\n"
            + "  unmatched_targets_after: 60s\n"),
        out);
    assertTrue(
        out.contains("persist:\n  targets:\n    - class: com.acme.Repo\n      methods: [save]\n"),
        out);
    assertTrue(
        out.contains(
            "errors:\n  default_type: db_error\n  # precedence: your rules first, in order"),
        "the precedence:\n" + out);
    assertTrue(
        out.contains("  rules:\n    - error_type: timeout  # shipped\n"),
        "the shipped rules:\n" + out);
    assertTrue(
        out.contains("  headers:\n    Authorization: <redacted>\n    X-Api-Key: <redacted>\n"),
        out);
    assertTrue(out.contains("  shutdown_timeout: 5s\n"), out);
    for (String secret : new String[] {SECRET, "Bearer", "inline-key-123"}) {
      assertFalse(
          out.contains(secret) || check.stderr().contains(secret),
          secret + " was printed:\n" + out + check.stderr());
    }
  }

  @Test
  void invalidConfigurationIsReportedWithExitStatusOne() {
    Path config = AgentHarness.writeConfig(
        dir,
        "bad.yaml",
        "persist:",
        "  targets: [{class: com.acme.Repo, methods: save}]",
        "export:",
        "  interval: soon");
    Exited check = AgentHarness.run(
        AgentHarness.agentCommand("check", "check", config.toString()), Duration.ofSeconds(30));

    assertEquals(1, check.exitCode());
    assertEquals("", check.stdout());
    assertEquals(
        "1 configuration problem:\n  " + config
            + ":4:13: 'export.interval' must be a positive duration with a unit, like '10s' or '500ms'; got 'soon'\n",
        check.stderr());
  }
}
