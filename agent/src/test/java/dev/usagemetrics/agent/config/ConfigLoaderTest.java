package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.classification.DefaultErrorRules;
import dev.usagemetrics.agent.classification.ErrorRule;
import dev.usagemetrics.agent.log.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid configurations: every key read into the right field, every default filled in. */
class ConfigLoaderTest {

  private static final Map<String, String> ENV = Map.of("TOKEN", "s3cr3t");

  private static final String[] FULL_CONFIG = {
    "strict: true",
    "log:",
    "  level: debug",
    "  file: /var/log/usage-agent.log",
    "  unmatched_targets_after: 2m",
    "persist:",
    "  targets:",
    "    - class: com.acme.usage.UsageRepository",
    "      methods: [save, saveAll]",
    "    - class: com.acme.usage.Outer$Inner",
    "      methods: persist",
    "queue:",
    "  targets:",
    "    - class: com.acme.usage.UsageQueue",
    "      enqueue: [offer, put]",
    "      dequeue: [poll, take]",
    "    - class: java.util.concurrent.ArrayBlockingQueue",
    "errors:",
    "  default_type: validation",
    "  include_defaults: true",
    "  rules:",
    "    - error_type: timeout",
    "      exceptions: [com.acme.SlowDown]",
    "      sql_states: [\"XX001\", 57]",
    "    - error_type: validation",
    "      exceptions: com.acme.BadInput",
    "export:",
    "  endpoint: https://collector.example:4317",
    "  protocol: http/protobuf",
    "  headers:",
    "    Authorization: \"Bearer ${TOKEN}\"",
    "    X-Tenant: ${TENANT:-acme}",
    "  interval: 10s",
    "  timeout: 500ms",
    "  shutdown_timeout: 3s",
    "  service_name: usage-service",
    "  resource_attributes:",
    "    deployment.environment: prod",
    "    replicas: 3",
  };

  @Test
  void fullConfigReadsEveryKeyIntoItsField() throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(ENV, FULL_CONFIG);

    assertEquals("test.yaml", config.source());
    assertTrue(config.strict());
    assertEquals(LogLevel.DEBUG, config.logLevel());
    assertEquals("/var/log/usage-agent.log", config.logFile());
    assertEquals(Duration.ofMinutes(2), config.unmatchedTargetWarningDelay());

    assertEquals(
        List.of(
            "com.acme.usage.UsageRepository [save, saveAll]",
            "com.acme.usage.Outer$Inner [persist]"),
        strings(config.persistTargets()));
    assertEquals(
        List.of(
            "com.acme.usage.UsageQueue enqueue [offer, put] dequeue [poll, take]",
            "java.util.concurrent.ArrayBlockingQueue enqueue [offer] dequeue [poll]"),
        strings(config.queueTargets()));

    assertEquals("validation", config.defaultErrorType());
    List<String> expectedRules = new ArrayList<>();
    expectedRules.add("timeout <- [com.acme.SlowDown] sqlstate [XX001, 57]");
    expectedRules.add("validation <- [com.acme.BadInput]");
    expectedRules.addAll(strings(DefaultErrorRules.rules()));
    assertEquals(expectedRules, strings(config.errorRules()));

    ExportSettings export = config.export();
    assertEquals("https://collector.example:4317", export.endpoint());
    assertEquals("http/protobuf", export.protocol());
    assertEquals(Map.of("Authorization", "Bearer s3cr3t", "X-Tenant", "acme"), export.headers());
    assertEquals(Duration.ofSeconds(10), export.interval());
    assertEquals(Duration.ofMillis(500), export.timeout());
    assertEquals(Duration.ofSeconds(3), export.shutdownTimeout());
    assertEquals("usage-service", export.serviceName());
    assertEquals(
        Map.of("deployment.environment", "prod", "replicas", "3"), export.resourceAttributes());
  }

  @Test
  void minimalConfigGetsEveryDefault() throws ConfigException {
    AgentConfig config =
        ConfigFixtures.parse(Map.of(), "queue:", "  targets:", "    - class: com.acme.Q");

    assertEquals(
        List.of("com.acme.Q enqueue [offer] dequeue [poll]"), strings(config.queueTargets()));
    assertEquals(List.of(), config.persistTargets());
    assertFalse(config.strict());
    assertEquals(LogLevel.INFO, config.logLevel());
    assertNull(config.logFile());
    assertEquals(Duration.ofSeconds(60), config.unmatchedTargetWarningDelay());
    assertEquals("db_error", config.defaultErrorType());
    assertEquals(strings(DefaultErrorRules.rules()), strings(config.errorRules()));

    ExportSettings export = config.export();
    assertNull(export.endpoint());
    assertNull(export.protocol());
    assertEquals(Map.of(), export.headers());
    assertNull(export.interval());
    assertNull(export.timeout());
    assertEquals(Duration.ofSeconds(5), export.shutdownTimeout());
    assertNull(export.serviceName());
    assertEquals(Map.of(), export.resourceAttributes());
    assertNull(export.tls().trustedCertificates());
    assertNull(export.tls().clientKey());
    assertNull(export.tls().clientCertificate());
  }

  @Test
  void tlsFilesAreReadFromTheExportSection(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n");
    Path certificate =
        Files.writeString(dir.resolve("client.pem"), "-----BEGIN CERTIFICATE-----\n");
    AgentConfig config = ConfigFixtures.parse(
        Map.of("CA_FILE", ca.toString()),
        "persist:",
        "  targets:",
        "    - {class: a.B, methods: save}",
        "export:",
        "  endpoint: https://collector.example:4317",
        "  certificate: ${CA_FILE}",
        "  client_key: " + key,
        "  client_certificate: " + certificate);

    ExportSettings.Tls tls = config.export().tls();
    assertEquals(ca.toString(), tls.trustedCertificates());
    assertEquals(key.toString(), tls.clientKey());
    assertEquals(certificate.toString(), tls.clientCertificate());
  }

  @Test
  void exportSectionWithoutShutdownTimeoutStillDefaultsToFiveSeconds() throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - {class: a.B, methods: save}",
        "export:",
        "  interval: 1s");

    assertEquals(Duration.ofSeconds(5), config.export().shutdownTimeout());
    assertEquals(Duration.ofSeconds(1), config.export().interval());
  }

  @Test
  void resourceProvidersAndSdkTelemetryAreReadFromTheExportSection() throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - {class: a.B, methods: save}",
        "export:",
        "  disabled_resource_providers: [process, container]",
        "  sdk_telemetry: true");
    assertEquals(List.of("process", "container"), config.export().disabledResourceProviders());
    assertTrue(config.export().sdkTelemetry());

    AgentConfig defaults =
        ConfigFixtures.parse(Map.of(), "persist:", "  targets: [{class: a.B, methods: save}]");
    assertEquals(
        List.of(), defaults.export().disabledResourceProviders(), "every provider applies");
    assertFalse(defaults.export().sdkTelemetry(), "the SDK's own metrics are off");
  }

  @Test
  void exemplarsAreOnUnlessTheExportSectionOrTheExemplarFilterTurnsThemOff()
      throws ConfigException {
    String[] target = {"persist:", "  targets: [{class: a.B, methods: save}]"};
    assertTrue(ConfigFixtures.parse(Map.of(), target).export().exemplars());
    assertFalse(ConfigFixtures.parse(
            Map.of(),
            "persist:",
            "  targets: [{class: a.B, methods: save}]",
            "export:",
            "  exemplars: false")
        .export()
        .exemplars());
    try {
      for (String on : List.of("trace_based", "always_on", "TRACE_BASED")) {
        System.setProperty("otel.metrics.exemplar.filter", on);
        assertTrue(ConfigFixtures.parse(Map.of(), target).export().exemplars(), on);
      }
      System.setProperty("otel.metrics.exemplar.filter", "always_off");
      assertFalse(ConfigFixtures.parse(Map.of(), target).export().exemplars());
      assertFalse(ConfigFixtures.parse(
              Map.of(),
              "persist:",
              "  targets: [{class: a.B, methods: save}]",
              "export:",
              "  interval: 1s")
          .export()
          .exemplars());

      System.setProperty("otel.metrics.exemplar.filter", "trace-based");
      ConfigException refused =
          assertThrows(ConfigException.class, () -> ConfigFixtures.parse(Map.of(), target));
      assertEquals(
          "system property otel.metrics.exemplar.filter: is 'trace-based'; set it to trace_based, "
              + "always_on or always_off (did you mean 'trace_based'?), or unset it (trace_based)",
          refused.problems().get(0).toString());
    } finally {
      System.clearProperty("otel.metrics.exemplar.filter");
    }
  }

  @Test
  void userRulesComeBeforeTheShippedRules() throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - {class: a.B, methods: save}",
        "errors:",
        "  rules:",
        "    - {error_type: timeout, exceptions: com.acme.Slow}");

    List<ErrorRule> rules = config.errorRules();
    assertEquals(1 + DefaultErrorRules.rules().size(), rules.size());
    assertEquals("timeout <- [com.acme.Slow]", rules.get(0).toString());
    assertEquals(strings(DefaultErrorRules.rules()), strings(rules.subList(1, rules.size())));
  }

  @Test
  void includeDefaultsFalseKeepsOnlyUserRules() throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - {class: a.B, methods: save}",
        "errors:",
        "  include_defaults: false",
        "  rules:",
        "    - {error_type: db_error, sql_states: 23}");

    assertEquals(List.of("db_error <- [] sqlstate [23]"), strings(config.errorRules()));
  }

  @Test
  void singleMethodNameMayBeWrittenWithoutAList() throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(
        Map.of(), "queue:", "  targets:", "    - {class: a.Q, enqueue: push, dequeue: pop}");

    assertEquals(List.of("push"), config.queueTargets().get(0).enqueueMethodNames());
    assertEquals(List.of("pop"), config.queueTargets().get(0).dequeueMethodNames());
  }

  @Test
  void unquotedWholeValueEnvironmentReferenceIsSubstitutedNotTreatedAsATypeTag()
      throws ConfigException {
    AgentConfig config = ConfigFixtures.parse(
        Map.of("SERVICE", "billing", "ENDPOINT", "http://collector:4318"),
        "persist:",
        "  targets: [{class: a.B, methods: save}]",
        "export:",
        "  service_name: ${SERVICE}",
        "  endpoint: ${ENDPOINT}",
        "  protocol: ${PROTOCOL:-http/protobuf}",
        "  interval: ${INTERVAL:-15s}");

    assertEquals("billing", config.export().serviceName());
    assertEquals("http://collector:4318", config.export().endpoint());
    assertEquals("http/protobuf", config.export().protocol());
    assertEquals(Duration.ofSeconds(15), config.export().interval());
  }

  @Test
  void substitutedValuesAreValidatedLikeWrittenOnes() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        ConfigException.class,
        () -> ConfigFixtures.parse(
            Map.of("ENDPOINT", "collector:4318"),
            "persist:",
            "  targets: [{class: a.B, methods: save}]",
            "export:",
            "  endpoint: ${ENDPOINT}"));
    assertEquals(1, e.problems().size());
    assertEquals("test.yaml:4:13", e.problems().get(0).location());
    assertTrue(e.problems().get(0).message().endsWith("got 'collector:4318'"), e::getMessage);
  }

  private static List<String> strings(List<?> values) {
    return values.stream().map(Object::toString).collect(Collectors.toList());
  }
}
