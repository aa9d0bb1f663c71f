package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agenttests.AgentHarness.Exited;
import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own log: its levels, its file, and secrets that never appear in it. */
class AgentLogTest {

  private static final String PREFIX = "[usage-metrics-agent] ";
  private static final String SUMMARY = "INFO usage-metrics-agent ";
  private static final String INSTRUMENTED_STORE =
      "DEBUG instrumented " + ConfigTarget.Store.class.getName();
  private static final String SECRET = "s3cr3t-token-value";

  @TempDir
  Path dir;

  private OtlpReceiver receiver;

  @BeforeEach
  void startReceiver() {
    receiver = OtlpReceiver.start(Protocol.GRPC);
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void infoPrintsTheOneLineStartupSummary() throws Exception {
    Exited run = runApplication(logLevel("info"));
    assertEquals(1, AgentHarness.occurrences(run.stderr(), SUMMARY), run.stderr());
    assertTrue(
        run.stderr()
            .contains(" active: persist [" + ConfigTarget.Store.class.getName() + " [save]]"),
        run.stderr());
    assertFalse(run.stderr().contains(INSTRUMENTED_STORE), run.stderr());
  }

  @Test
  void quietSuppressesTheStartupSummaryButNotTheMetrics() throws Exception {
    Exited run = runApplication(logLevel("quiet"));
    assertFalse(run.stderr().contains(PREFIX), "the agent said something:\n" + run.stderr());
  }

  @Test
  void debugListsEachInstrumentedClass() throws Exception {
    Exited run = runApplication(logLevel("debug"));
    assertEquals(1, AgentHarness.occurrences(run.stderr(), INSTRUMENTED_STORE), run.stderr());
    assertEquals(1, AgentHarness.occurrences(run.stderr(), SUMMARY), run.stderr());
  }

  @Test
  void logFileReceivesTheLogInsteadOfStderr() throws Exception {
    Path logFile = dir.resolve("agent.log");
    Exited run = runApplication(new String[] {"log:", "  level: debug", "  file: " + logFile});
    assertFalse(run.stderr().contains(PREFIX), "logged to stderr:\n" + run.stderr());
    String log = Files.readString(logFile);
    assertEquals(1, AgentHarness.occurrences(log, SUMMARY), log);
    assertEquals(1, AgentHarness.occurrences(log, INSTRUMENTED_STORE), log);
  }

  @Test
  void headerValuesNeverAppearInTheLogEvenAtDebug() throws Exception {
    Exited run = runApplication(
        logLevel("debug"),
        "  headers:",
        "    Authorization: \"Bearer ${TOKEN}\"",
        "    X-Api-Key: inline-key-123");
    assertEquals(
        List.of("Bearer " + SECRET), receiver.headerValues("authorization"), "the header was sent");
    assertTrue(run.stderr().contains(INSTRUMENTED_STORE), "debug logging was on:\n" + run.stderr());
    for (String secret : new String[] {SECRET, "inline-key-123"}) {
      assertFalse(
          run.stderr().contains(secret) || run.stdout().contains(secret),
          secret + " was logged:\n" + run.stderr());
    }
  }

  private static String[] logLevel(String level) {
    return new String[] {"log:", "  level: " + level};
  }

  /**
   * Runs {@code ConfigTarget} with its store configured, the {@code log} section given, and
   * {@code moreExportLines} in the export section; checks the metrics arrived.
   */
  private Exited runApplication(String[] logSection, String... moreExportLines) throws Exception {
    Path config = AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.concat(
            AgentHarness.persistTarget(ConfigTarget.Store.class.getName(), "save"),
            logSection,
            AgentHarness.exportTo(receiver, "60s"),
            moreExportLines));
    return AgentHarness.runConfigTarget(
        AgentHarness.jvmWithAgent("agent-log", config).env("TOKEN", SECRET), receiver);
  }
}
