package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid configurations: each problem reported with its exact location and a useful message. */
class ConfigLoaderProblemsTest {

  /** A valid target, appended after a case's own lines so they keep their line numbers. */
  private static final String[] VALID_TARGET = {
    "persist:", "  targets:", "    - class: com.acme.Repo", "      methods: [save]",
  };

  /** One bad configuration, the problem it must produce first, and how many problems in all. */
  static final class BadConfig {
    final String name;
    final String yaml;
    final String location;
    final String messagePart;
    final int problemCount;

    BadConfig(String name, String yaml, String location, String messagePart, int problemCount) {
      this.name = name;
      this.yaml = yaml;
      this.location = location;
      this.messagePart = messagePart;
      this.problemCount = problemCount;
    }

    /** The same case, expected to produce {@code count} problems (consequences of the first). */
    BadConfig withProblemCount(int count) {
      return new BadConfig(name, yaml, location, messagePart, count);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static BadConfig bad(String name, String location, String messagePart, String... lines) {
    return new BadConfig(name, ConfigFixtures.yaml(lines), location, messagePart, 1);
  }

  /** The case's lines followed by a valid persist target, so the case's problem is the only one. */
  private static BadConfig badWithTarget(
      String name, String location, String messagePart, String... lines) {
    List<String> all = new ArrayList<>(Arrays.asList(lines));
    all.addAll(Arrays.asList(VALID_TARGET));
    return bad(name, location, messagePart, all.toArray(new String[0]));
  }

  static Stream<BadConfig> badConfigs() {
    return Stream.of(
        bad(
            "unknown top-level key",
            "test.yaml:1:1",
            "unknown key 'persit' under '(top level)' (did you mean 'persist'?)",
            "persit:",
            "  targets:",
            "    - {class: a.B, methods: save}"),
        bad(
            "sequence where a mapping is expected",
            "test.yaml:1:6",
            "'log' must be a mapping of keys to values, got a list",
            "log: [a, b]",
            "persist: {targets: [{class: a.B, methods: save}]}"),
        bad(
            "methods given as a number",
            "test.yaml:4:16",
            "'persist.targets[0].methods' must be text, got the number '5'",
            "persist:",
            "  targets:",
            "    - class: com.acme.Repo",
            "      methods: 5"),
        bad(
            "missing methods",
            "test.yaml:3:7",
            "missing required key 'methods' under 'persist.targets[0]'",
            "persist:",
            "  targets:",
            "    - class: com.acme.Repo"),
        bad(
            "missing class",
            "test.yaml:3:7",
            "missing required key 'class' under 'persist.targets[0]'",
            "persist:",
            "  targets:",
            "    - methods: [save]"),
        bad(
            "class name with an empty segment",
            "test.yaml:3:14",
            "'persist.targets[0].class' is not a fully qualified Java class name: 'com..Foo'",
            "persist:",
            "  targets:",
            "    - class: com..Foo",
            "      methods: [save]"),
        bad(
            "method name with parameters",
            "test.yaml:4:16",
            "'persist.targets[0].methods' has 'persist()', which is not a Java method name",
            "persist:",
            "  targets:",
            "    - class: com.acme.Repo",
            "      methods: [persist()]"),
        bad(
            "empty method list",
            "test.yaml:4:16",
            "'persist.targets[0].methods' must name at least one method",
            "persist:",
            "  targets:",
            "    - class: com.acme.Repo",
            "      methods: []"),
        bad(
            "empty targets: nothing to instrument",
            "test.yaml:1:1",
            "nothing to instrument: add at least one entry under 'persist.targets' or 'queue.targets'",
            "persist:",
            "  targets: []"),
        badWithTarget(
            "strict is not a boolean",
            "test.yaml:1:9",
            "'strict' must be true or false, got the text 'yes please'",
            "strict: yes please"),
        badWithTarget(
            "unknown log level",
            "test.yaml:2:10",
            "'log.level' must be quiet, info or debug; got 'verbose'",
            "log:",
            "  level: verbose"),
        badWithTarget(
            "duration without unit",
            "test.yaml:2:13",
            "'export.interval' must be a positive duration with a unit, like '10s' or '500ms'; got '10'",
            "export:",
            "  interval: 10"),
        badWithTarget(
            "duration in words",
            "test.yaml:2:13",
            "'export.interval' must be a positive duration with a unit, like '10s' or '500ms'; got 'ten seconds'",
            "export:",
            "  interval: ten seconds"),
        badWithTarget(
            "duration too large to represent",
            "test.yaml:2:12",
            "'export.timeout' must be a positive duration with a unit, like '10s' or '500ms'; got '9999999999999999h'",
            "export:",
            "  timeout: 9999999999999999h"),
        badWithTarget(
            "zero duration",
            "test.yaml:2:21",
            "'export.shutdown_timeout' must be a positive duration with a unit, like '10s' or '500ms'; got '0s'",
            "export:",
            "  shutdown_timeout: 0s"),
        badWithTarget(
            "endpoint without scheme",
            "test.yaml:2:13",
            "'export.endpoint' must be an http:// or https:// URL with a host, like http://127.0.0.1:4317;"
                + " got 'localhost:4317'",
            "export:",
            "  endpoint: localhost:4317"),
        badWithTarget(
            "endpoint with ftp scheme",
            "test.yaml:2:13",
            "'export.endpoint' must be an http:// or https:// URL with a host, like http://127.0.0.1:4317;"
                + " got 'ftp://x'",
            "export:",
            "  endpoint: ftp://x"),
        badWithTarget(
            "protocol 'http' is incomplete",
            "test.yaml:2:13",
            "'export.protocol' must be grpc or http/protobuf; got 'http'",
            "export:",
            "  protocol: http"),
        badWithTarget(
            "misspelt protocol",
            "test.yaml:2:13",
            "'export.protocol' must be grpc or http/protobuf; got 'grcp' (did you mean 'grpc'?)",
            "export:",
            "  protocol: grcp"),
        badWithTarget(
            "certificate file that does not exist",
            "test.yaml:2:16",
            "'export.certificate' must name a readable PEM file; '/nonexistent/collector-ca.pem' does not exist",
            "export:",
            "  certificate: /nonexistent/collector-ca.pem"),
        badWithTarget(
            "certificate that is a directory",
            "test.yaml:2:16",
            "'export.certificate' must name a readable PEM file; '/' cannot be read",
            "export:",
            "  certificate: /"),
        badWithTarget(
            "misspelt resource provider",
            "test.yaml:2:32",
            "'export.disabled_resource_providers' has 'containr'; the resource providers are container, host, os,"
                + " process, runtime (did you mean 'container'?)",
            "export:",
            "  disabled_resource_providers: [process, containr]"),
        badWithTarget(
            "sdk_telemetry is not a boolean",
            "test.yaml:2:18",
            "'export.sdk_telemetry' must be true or false, got the text 'on'",
            "export:",
            "  sdk_telemetry: on"),
        badWithTarget(
            "unknown error_type",
            "test.yaml:3:19",
            "'errors.rules[0].error_type' is 'timout', which is not an error_type of"
                + " llm_usage_persist_errors_total (did you mean 'timeout'?)",
            "errors:",
            "  rules:",
            "    - error_type: timout",
            "      exceptions: [com.acme.Slow]"),
        badWithTarget(
            "rule matching nothing",
            "test.yaml:3:7",
            "'errors.rules[0]' matches nothing: give 'exceptions' (class names), 'sql_states' and/or 'error_codes'",
            "errors:",
            "  rules:",
            "    - error_type: timeout"),
        badWithTarget(
            "java type tag",
            "test.yaml:2:9",
            "type tags are not allowed (found 'tag:yaml.org,2002:java.lang.Object'); remove the tag",
            "log:",
            "  file: !!java.lang.Object x"),
        badWithTarget(
            "local type tag",
            "test.yaml:1:9",
            "type tags are not allowed (found '!foo'); remove the tag",
            "strict: !foo true"),
        badWithTarget(
            "explicit !ENV_VARIABLE tag",
            "test.yaml:2:17",
            "type tags are not allowed (found '!ENV_VARIABLE'); remove the tag",
            "export:",
            "  service_name: !ENV_VARIABLE ${SERVICE}"),
        badWithTarget(
            "duplicate key",
            "test.yaml:3:3",
            "duplicate key 'level' under 'log'",
            "log:",
            "  level: info",
            "  level: debug"),
        badWithTarget(
            "unset environment variable without default",
            "test.yaml:2:17",
            "'export.service_name': environment variable 'NOT_SET_ANYWHERE' is not set (set it, or give a"
                + " default: ${NOT_SET_ANYWHERE:-value})",
            "export:",
            "  service_name: ${NOT_SET_ANYWHERE}"),
        bad(
                "unknown key under persist",
                "test.yaml:2:3",
                "unknown key 'targts' under 'persist' (did you mean 'targets'?)",
                "persist:",
                "  targts:",
                "    - {class: a.B, methods: save}",
                "queue:",
                "  targets: [{class: a.Q}]")
            // ... and, as a consequence, "'persist' needs 'targets'".
            .withProblemCount(2),
        badWithTarget(
            "empty enqueue list",
            "test.yaml:3:29",
            "'queue.targets[0].enqueue' must name at least one method",
            "queue:",
            "  targets:",
            "    - {class: a.Q, enqueue: []}"),
        bad(
            "malformed YAML: bad indentation",
            "test.yaml:4:6",
            "malformed YAML: expected <block end>, but found '<block mapping start>'",
            "persist:",
            "  targets:",
            "    - class: com.acme.Repo",
            "     methods: [save]"),
        bad(
            "malformed YAML: unclosed bracket",
            "test.yaml:5:1",
            "malformed YAML: expected ',' or ']', but got <stream end> while parsing a flow sequence",
            "persist:",
            "  targets:",
            "    - class: com.acme.Repo",
            "      methods: [save, saveAll"),
        bad(
            "billion laughs",
            "test.yaml",
            "rejected YAML: Number of aliases for non-scalar nodes exceeds the specified max=20",
            billionLaughs()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfigIsReportedWithExactLocationAndMessage(BadConfig bad) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(bad.yaml));

    assertEquals(
        bad.problemCount,
        e.problems().size(),
        () -> "unexpected problem count:\n" + e.getMessage());
    ConfigProblem problem = e.problems().get(0);
    assertEquals(bad.location, problem.location(), problem::toString);
    assertTrue(
        problem.message().contains(bad.messagePart), () -> "message was: " + problem.message());
  }

  @Test
  void clientKeyWithoutClientCertificateIsLocated(@TempDir Path dir) throws IOException {
    Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n");
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> ConfigFixtures.parse(
            Map.of(), concat(new String[] {"export:", "  client_key: " + key}, VALID_TARGET)));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("test.yaml:2:15", e.problems().get(0).location());
    assertTrue(
        e.problems()
            .get(0)
            .message()
            .contains(
                "'export.client_key' needs its pair: mutual TLS takes both 'export.client_key' and"
                    + " 'export.client_certificate'"),
        e.getMessage());
  }

  private static String[] concat(String[] first, String[] second) {
    return Stream.concat(Arrays.stream(first), Arrays.stream(second)).toArray(String[]::new);
  }

  @Test
  void billionLaughsIsRejectedFast() {
    String bomb = ConfigFixtures.yaml(billionLaughs());
    ConfigException e = assertTimeoutPreemptively(
        Duration.ofSeconds(1), () -> assertThrows(ConfigException.class, () -> parse(bomb)));
    assertTrue(e.getMessage().contains("rejected YAML"), e::getMessage);
    assertTrue(e.getMessage().contains("aliases"), e::getMessage);
  }

  @Test
  void malformedYamlNamesTheProblemAndTheLine() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> parse(ConfigFixtures.yaml("log:", "  level: [info", "strict: true")));
    ConfigProblem problem = e.problems().get(0);
    assertEquals("test.yaml:3:7", problem.location(), problem::toString);
    assertTrue(
        problem.message().startsWith("malformed YAML: expected ',' or ']'"), problem::toString);
  }

  @Test
  void everyProblemInOneFileIsReported() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> parse(ConfigFixtures.yaml(
            "log:",
            "  level: loud",
            "persist:",
            "  targets:",
            "    - class: com..Foo",
            "      methods: [save()]",
            "errors:",
            "  default_type: boom",
            "export:",
            "  endpoint: localhost",
            "  interval: soon")));

    assertEquals(
        List.of(
            "test.yaml:2:10",
            "test.yaml:5:14",
            "test.yaml:6:16",
            "test.yaml:8:17",
            "test.yaml:10:13",
            "test.yaml:11:13"),
        e.problems().stream().map(ConfigProblem::location).collect(Collectors.toList()),
        e::getMessage);
    assertTrue(
        e.getMessage().startsWith("6 configuration problems:\n  test.yaml:2:10: 'log.level'"),
        e::getMessage);
  }

  @Test
  void singleProblemMessageHasSingularHeading() {
    ConfigException e = assertThrows(
        ConfigException.class, () -> parse(ConfigFixtures.yaml("persist:", "  targets: []")));
    assertEquals(
        "1 configuration problem:\n  test.yaml:1:1: nothing to instrument: add at least one entry under"
            + " 'persist.targets' or 'queue.targets'",
        e.getMessage());
  }

  @Test
  void strictRequestedWhenBadFileSaysStrictTrue() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> parse(ConfigFixtures.yaml(
            "strict: true", "persist:", "  targets:", "    - {class: com..Foo, methods: save}")));
    assertTrue(e.strictRequested());
  }

  @Test
  void strictRequestedEvenWhenTheProblemIsAnUnknownTopLevelKey() {
    ConfigException e = assertThrows(
        ConfigException.class,
        () -> parse(ConfigFixtures.yaml(
            "strict: true", "exprt: {}", "persist:", "  targets: [{class: a.B, methods: save}]")));
    assertEquals(List.of("test.yaml:2:1"), locations(e));
    assertTrue(e.strictRequested());
  }

  @Test
  void strictNotRequestedWhenFileDoesNotSaySo() {
    ConfigException e = assertThrows(
        ConfigException.class, () -> parse(ConfigFixtures.yaml("persist:", "  targets: []")));
    assertFalse(e.strictRequested());
  }

  @Test
  void loadReportsMissingFileWithItsPath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(missing));
    ConfigProblem problem = e.problems().get(0);
    assertEquals(missing.toString(), problem.location());
    assertTrue(
        problem
            .message()
            .startsWith(
                "configuration file not found (absolute path: " + missing.toAbsolutePath() + ")"),
        problem::toString);
  }

  @Test
  void loadRefusesADirectory(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(dir));
    assertEquals(dir.toString(), e.problems().get(0).location());
    assertTrue(
        e.problems().get(0).message().startsWith("is a directory, not a configuration file"),
        e::getMessage);
  }

  @Test
  void loadRefusesAFileOver256KiB(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.yaml");
    byte[] content = new byte[256 * 1024 + 1];
    Arrays.fill(content, (byte) '#');
    Files.write(big, content);

    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(big));
    assertEquals(1, e.problems().size());
    assertTrue(
        e.problems().get(0).message().startsWith("file is larger than 256 KiB"), e::getMessage);
  }

  @Test
  void loadReportsAnEmptyFile(@TempDir Path dir) throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.yaml"));
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(empty));
    assertEquals(empty.toString(), e.problems().get(0).location());
    assertTrue(e.problems().get(0).message().startsWith("the file is empty"), e::getMessage);
  }

  @Test
  void loadUsesThePathAsSourceInProblemsAndConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.write(
        file,
        ConfigFixtures.yaml("persist:", "  targets: [{class: a.B, methods: save}]")
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(file.toString(), loader().load(file).source());

    Files.write(
        file,
        ConfigFixtures.yaml("log: 3", "persist:", "  targets: [{class: a.B, methods: save}]")
            .getBytes(StandardCharsets.UTF_8));
    ConfigException e = assertThrows(ConfigException.class, () -> loader().load(file));
    assertEquals(file + ":1:6", e.problems().get(0).location());
  }

  /** Nine levels, each a list of nine aliases of the level below: 9^9 strings if expanded. */
  private static String[] billionLaughs() {
    List<String> lines = new ArrayList<>();
    lines.add("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]");
    for (int level = 1; level <= 9; level++) {
      String alias = "*a" + (level - 1);
      lines.add("a" + level + ": &a" + level + " ["
          + String.join(",", java.util.Collections.nCopies(9, alias)) + "]");
    }
    return lines.toArray(new String[0]);
  }

  private static ConfigLoader loader() {
    return ConfigFixtures.loader(Map.of());
  }

  private static AgentConfig parse(String yaml) throws ConfigException {
    return loader().parse(yaml, ConfigFixtures.SOURCE);
  }

  private static List<String> locations(ConfigException e) {
    return e.problems().stream().map(ConfigProblem::location).collect(Collectors.toList());
  }
}
