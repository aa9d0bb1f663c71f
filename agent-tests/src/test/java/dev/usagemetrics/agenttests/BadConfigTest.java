package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agenttests.AgentHarness.Exited;
import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad configurations, through the shaded agent attached to a small application: each is reported
 * once on stderr, with its location and specific message, and the application runs exactly as
 * without the agent (same stdout, same exit code). In strict mode the JVM refuses to start.
 */
class BadConfigTest {

  private static final String PREFIX = "[usage-metrics-agent] ";
  private static final String EXIT_CODE = "7";
  private static final String UNSET_VARIABLE = "USAGE_METRICS_TEST_NEVER_SET";

  /** A valid target, after a case's own lines so they keep their line numbers. */
  private static final String[] VALID_TARGET = {
    "persist:",
    "  targets:",
    "    - class: dev.usagemetrics.targets.ConfigTarget$Store",
    "      methods: [save]",
  };

  private static Exited withoutAgent;

  @TempDir
  Path dir;

  /** Writes a bad configuration (or leaves one out) in a directory; returns the path to give the agent. */
  private interface ConfigFile {
    Path writeIn(Path dir) throws IOException;
  }

  /** One bad configuration and the problem it must be reported with: {@code <file><where>: <message>}. */
  private record BadConfig(String name, ConfigFile file, String where, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static BadConfig bad(String name, String where, String message, String... lines) {
    return new BadConfig(name, dir -> write(dir, lines), where, message);
  }

  /** The case's lines followed by a valid persist target, so the case's problem is the only one. */
  private static BadConfig badWithTarget(
      String name, String where, String message, String... lines) {
    List<String> all = new ArrayList<>(Arrays.asList(lines));
    all.addAll(Arrays.asList(VALID_TARGET));
    return bad(name, where, message, all.toArray(new String[0]));
  }

  static Stream<BadConfig> badConfigs() {
    return Stream.of(
        bad(
            "misspelt top-level key",
            ":1:1",
            "unknown key 'persit' under '(top level)' (did you mean 'persist'?)",
            "persit:",
            "  targets:",
            "    - {class: dev.usagemetrics.targets.ConfigTarget$Store, methods: save}"),
        bad(
            "misspelt nested key",
            ":4:7",
            "unknown key 'methds' under 'persist.targets[0]' (did you mean 'methods'?)",
            "persist:",
            "  targets:",
            "    - class: dev.usagemetrics.targets.ConfigTarget$Store",
            "      methds: [save]"),
        bad(
            "methods given as a number",
            ":4:16",
            "'persist.targets[0].methods' must be text, got the number '5'",
            "persist:",
            "  targets:",
            "    - class: dev.usagemetrics.targets.ConfigTarget$Store",
            "      methods: 5"),
        bad(
            "class name with an empty segment",
            ":3:14",
            "'persist.targets[0].class' is not a fully qualified Java class name: 'com..Foo'"
                + " (nested classes use '$': com.acme.Outer$Inner)",
            "persist:",
            "  targets:",
            "    - class: com..Foo",
            "      methods: [save]"),
        bad(
            "method name with parameters",
            ":4:16",
            "'persist.targets[0].methods' has 'save()', which is not a Java method name"
                + " (write the name only, no parameters)",
            "persist:",
            "  targets:",
            "    - class: dev.usagemetrics.targets.ConfigTarget$Store",
            "      methods: [save()]"),
        bad(
            "empty targets",
            ":1:1",
            "nothing to instrument: add at least one entry under 'persist.targets' or 'queue.targets'",
            "persist:",
            "  targets: []"),
        badWithTarget(
            "strict is not a boolean",
            ":1:9",
            "'strict' must be true or false, got the text 'yes please'",
            "strict: yes please"),
        badWithTarget(
            "unknown log level",
            ":2:10",
            "'log.level' must be quiet, info or debug; got 'verbose'",
            "log:",
            "  level: verbose"),
        badWithTarget(
            "duration without unit",
            ":2:13",
            "'export.interval' must be a positive duration with a unit, like '10s' or '500ms'; got '10'",
            "export:",
            "  interval: 10"),
        badWithTarget(
            "duration in words",
            ":2:28",
            "'log.unmatched_targets_after' must be a positive duration with a unit, like '10s' or '500ms';"
                + " got 'a minute'",
            "log:",
            "  unmatched_targets_after: a minute"),
        badWithTarget(
            "zero duration",
            ":2:21",
            "'export.shutdown_timeout' must be a positive duration with a unit, like '10s' or '500ms'; got '0s'",
            "export:",
            "  shutdown_timeout: 0s"),
        badWithTarget(
            "endpoint without scheme",
            ":2:13",
            "'export.endpoint' must be an http:// or https:// URL with a host, like http://127.0.0.1:4317;"
                + " got 'localhost:4317'",
            "export:",
            "  endpoint: localhost:4317"),
        badWithTarget(
            "endpoint with another scheme",
            ":2:13",
            "'export.endpoint' must be an http:// or https:// URL with a host, like http://127.0.0.1:4317;"
                + " got 'ftp://collector'",
            "export:",
            "  endpoint: ftp://collector"),
        badWithTarget(
            "misspelt protocol",
            ":2:13",
            "'export.protocol' must be grpc or http/protobuf; got 'grcp' (did you mean 'grpc'?)",
            "export:",
            "  protocol: grcp"),
        badWithTarget(
            "port out of range",
            ":3:11",
            "'export.prometheus.port' must be a whole number from 0 to 65535, got the number '70000'",
            "export:",
            "  prometheus:",
            "    port: 70000"),
        badWithTarget(
            "unknown error_type",
            ":3:19",
            "'errors.rules[0].error_type' is 'timout', which is not an error_type of llm_usage_persist_errors_total"
                + " (did you mean 'timeout'?)",
            "errors:",
            "  rules:",
            "    - error_type: timout",
            "      exceptions: [com.acme.Slow]"),
        badWithTarget(
            "rule matching nothing",
            ":3:7",
            "'errors.rules[0]' matches nothing: give 'exceptions' (class names), 'sql_states' and/or 'error_codes'",
            "errors:",
            "  rules:",
            "    - error_type: timeout"),
        badWithTarget(
            "java type tag",
            ":2:9",
            "type tags are not allowed (found 'tag:yaml.org,2002:java.lang.Object'); remove the tag",
            "log:",
            "  file: !!java.lang.Object x"),
        badWithTarget(
            "local type tag",
            ":1:9",
            "type tags are not allowed (found '!foo'); remove the tag",
            "strict: !foo true"),
        badWithTarget(
            "duplicate key",
            ":3:3",
            "duplicate key 'level' under 'log'",
            "log:",
            "  level: info",
            "  level: debug"),
        badWithTarget(
            "unset environment variable",
            ":2:17",
            "'export.service_name': environment variable '" + UNSET_VARIABLE
                + "' is not set (set it, or give a default: ${" + UNSET_VARIABLE + ":-value})",
            "export:",
            "  service_name: ${" + UNSET_VARIABLE + "}"),
        bad(
            "malformed YAML: bad indentation",
            ":4:6",
            "malformed YAML: expected <block end>, but found '<block mapping start>' while parsing a block collection",
            "persist:",
            "  targets:",
            "    - class: dev.usagemetrics.targets.ConfigTarget$Store",
            "     methods: [save]"),
        bad(
            "malformed YAML: unclosed bracket",
            ":5:1",
            "malformed YAML: expected ',' or ']', but got <stream end> while parsing a flow sequence",
            "persist:",
            "  targets:",
            "    - class: dev.usagemetrics.targets.ConfigTarget$Store",
            "      methods: [save, saveAll"),
        bad(
            "alias bomb",
            "",
            "rejected YAML: Number of aliases for non-scalar nodes exceeds the specified max=20",
            billionLaughs()),
        bad(
            "empty file",
            "",
            "the file is empty; it must name at least one persist or queue target"),
        new BadConfig(
            "missing file",
            dir -> dir.resolve("missing.yaml"),
            "",
            "configuration file not found (absolute path: <file>); pass an existing YAML file"),
        new BadConfig(
            "directory instead of a file",
            dir -> Files.createDirectory(dir.resolve("config.d")),
            "",
            "is a directory, not a configuration file; pass the path of the YAML file"),
        new BadConfig(
            "file over 256 KiB",
            BadConfigTest::oversized,
            "",
            "file is larger than 256 KiB; an agent configuration is a few dozen lines"));
  }

  @BeforeAll
  static void runTheApplicationWithoutTheAgent() {
    withoutAgent = AgentHarness.run(
        application(ChildJvm.builder().name("no-agent").javaHome(AgentHarness.childJavaHome())),
        Duration.ofSeconds(30));
    assertEquals(Integer.parseInt(EXIT_CODE), withoutAgent.exitCode(), withoutAgent.stderr());
    assertTrue(
        withoutAgent.stdout().startsWith(ConfigTarget.MAIN_RAN + "\n"), withoutAgent.stdout());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void isReportedOnceWithItsLocationAndTheApplicationRunsAsWithoutTheAgent(BadConfig bad)
      throws IOException {
    Path file = bad.file().writeIn(dir);
    Exited run = AgentHarness.run(
        application(AgentHarness.jvmWithAgent("bad-config", file)), Duration.ofSeconds(30));

    assertEquals(withoutAgent.exitCode(), run.exitCode(), run.stderr());
    assertEquals(withoutAgent.stdout(), run.stdout());
    assertEquals(1, AgentHarness.occurrences(run.stderr(), "invalid configuration"), run.stderr());
    assertEquals(
        1,
        problemLines(run.stderr(), file, bad),
        () -> "expected once: " + problemLine(file, bad) + "\nstderr:\n" + run.stderr());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void strictModePropertyMakesTheJvmRefuseToStart(BadConfig bad) throws IOException {
    Path file = bad.file().writeIn(dir);
    Exited run = AgentHarness.run(
        application(AgentHarness.jvmWithAgent("bad-config-strict", file)
            .systemProperty("usage.metrics.strict", "true")),
        Duration.ofSeconds(30));

    assertRefusedToStart(run, file, bad);
  }

  @Test
  void strictTrueInTheFileMakesTheJvmRefuseToStart() throws IOException {
    BadConfig bad = badWithTarget(
        "strict in the file",
        ":2:1",
        "unknown key 'exprt' under '(top level)' (did you mean 'export'?)",
        "strict: true",
        "exprt:",
        "  interval: 10s");
    Path file = bad.file().writeIn(dir);
    assertRefusedToStart(
        AgentHarness.run(
            application(AgentHarness.jvmWithAgent("strict-file", file)), Duration.ofSeconds(30)),
        file,
        bad);
  }

  private static void assertRefusedToStart(Exited run, Path file, BadConfig bad) {
    assertNotEquals(0, run.exitCode(), run.stderr());
    assertNotEquals(withoutAgent.exitCode(), run.exitCode(), run.stderr());
    assertFalse(
        run.stdout().contains(ConfigTarget.MAIN_RAN),
        "the application's main must not run:\n" + run.stdout());
    assertTrue(run.stderr().contains(PREFIX), run.stderr());
    assertTrue(
        run.stderr()
            .contains("ERROR strict mode: refusing to start the JVM: invalid configuration"),
        run.stderr());
    assertTrue(
        problemLines(run.stderr(), file, bad) >= 1,
        () -> "expected: " + problemLine(file, bad) + "\nstderr:\n" + run.stderr());
  }

  private static ChildJvm.Builder application(ChildJvm.Builder jvm) {
    return jvm.classpath(AgentHarness.testClasses())
        .mainClass(ConfigTarget.class.getName())
        .args(EXIT_CODE);
  }

  /** How many stderr lines are exactly the agent's report of {@code bad}'s problem. */
  private static long problemLines(String stderr, Path file, BadConfig bad) {
    String expected = problemLine(file, bad);
    return stderr.lines().filter(expected::equals).count();
  }

  private static String problemLine(Path file, BadConfig bad) {
    return PREFIX + "  " + file + bad.where() + ": "
        + bad.message().replace("<file>", file.toAbsolutePath().toString());
  }

  private static Path write(Path dir, String... lines) throws IOException {
    return Files.writeString(
        dir.resolve("agent.yaml"), lines.length == 0 ? "" : String.join("\n", lines) + "\n");
  }

  private static Path oversized(Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Arrays.asList(VALID_TARGET));
    lines.addAll(Collections.nCopies(20_000, "# a comment line to pad the file"));
    return write(dir, lines.toArray(new String[0]));
  }

  /** Nine levels, each a list of nine aliases of the level below: 9^9 strings if expanded. */
  private static String[] billionLaughs() {
    List<String> lines = new ArrayList<>();
    lines.add("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]");
    for (int level = 1; level <= 9; level++) {
      String aliases = String.join(",", Collections.nCopies(9, "*a" + (level - 1)));
      lines.add("a" + level + ": &a" + level + " [" + aliases + "]");
    }
    return lines.toArray(new String[0]);
  }

  static {
    if (System.getenv(UNSET_VARIABLE) != null) {
      throw new IllegalStateException(UNSET_VARIABLE + " must not be set for these tests");
    }
  }
}
