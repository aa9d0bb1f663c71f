package dev.usagemetrics.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

  private static final String CLASSIFY_USAGE =
      "usage: java -jar usage-metrics-agent.jar " + ClassifyCommand.USAGE + "\n";

  @TempDir
  Path dir;

  /** What one run printed, and its exit status. */
  private static final class Run {
    final int status;
    final String out;
    final String err;

    Run(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
      status =
          new CommandLine(outStream, new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
      this.out = out.toString(StandardCharsets.UTF_8);
      this.err = err.toString(StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"help", "--help", "-h"})
  void helpPrintsTheUsageOnStandardOutput(String help) {
    Run run = new Run(help);
    assertEquals(0, run.status);
    assertEquals(CommandLine.USAGE + "\n", run.out);
    assertEquals("", run.err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"version", "--version"})
  void versionPrintsTheVersion(String version) {
    Run run = new Run(version);
    assertEquals(0, run.status);
    assertEquals(
        "usage-metrics-agent dev\n", run.out, "unpackaged classes have no manifest version");
    assertEquals("", run.err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--verbose", "-v", "--versions"})
  void anUnknownOptionIsOneLineThenTheUsage(String option) {
    Run run = new Run(option);
    assertEquals(2, run.status);
    assertEquals("unknown option '" + option + "'\n" + CommandLine.USAGE + "\n", run.err);
    assertEquals("", run.out);
  }

  @Test
  void anUnknownCommandIsOneLineThenTheUsage() {
    Run run = new Run("chek", "a.yaml");
    assertEquals(2, run.status);
    assertEquals("unknown command 'chek'\n" + CommandLine.USAGE + "\n", run.err);
  }

  @Test
  void noArgumentsPrintsTheUsageAsAnError() {
    Run run = new Run();
    assertEquals(2, run.status);
    assertEquals(CommandLine.USAGE + "\n", run.err);
  }

  @Test
  void anUnknownOptionOfACommandIsOneLineThenTheUsage() throws Exception {
    Path config = validConfig();
    Run run = new Run("check", "--quiet", config.toString());
    assertEquals(2, run.status);
    assertEquals("check: unknown option '--quiet'\n" + CommandLine.USAGE + "\n", run.err);
    assertEquals("", run.out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void helpAfterACommandPrintsTheUsage(String help) throws Exception {
    Run run = new Run("check", validConfig().toString(), help);
    assertEquals(0, run.status);
    assertEquals(CommandLine.USAGE + "\n", run.out);
  }

  @Test
  void checkExitsZeroForAValidConfiguration() throws Exception {
    Path config = validConfig();
    Run run = new Run("check", config.toString());
    assertEquals(0, run.status, run.err);
    assertTrue(run.out.startsWith(config + ": valid\n"), run.out);
  }

  @Test
  void checkExitsOneForAnInvalidConfiguration() throws Exception {
    Path config = Files.writeString(
        dir.resolve("bad.yaml"),
        "persist:\n  targets: [{class: a.B, methods: save}]\nexport:\n  interval: soon\n");
    Run run = new Run("check", config.toString());
    assertEquals(1, run.status);
    assertTrue(run.err.contains("'export.interval' must be a positive duration"), run.err);
    assertEquals("", run.out);
  }

  @Test
  void checkExitsOneForAMissingFile() {
    Run run = new Run("check", dir.resolve("missing.yaml").toString());
    assertEquals(1, run.status);
    assertTrue(run.err.contains("configuration file not found"), run.err);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h"})
  void classifyHelpPrintsItsUsage(String help) {
    Run run = new Run("classify", help);
    assertEquals(0, run.status);
    assertEquals(CLASSIFY_USAGE, run.out);
  }

  @Test
  void classifyUnknownOptionIsOneLineThenItsUsage() throws Exception {
    Run run = new Run("classify", validConfig().toString(), "java.sql.SQLException", "--verbose");
    assertEquals(2, run.status);
    assertEquals(
        "classify: unknown option or missing value: --verbose\n" + CLASSIFY_USAGE, run.err);
  }

  private Path validConfig() throws Exception {
    return Files.writeString(
        dir.resolve("good.yaml"), "persist:\n  targets: [{class: a.B, methods: save}]\n");
  }
}
