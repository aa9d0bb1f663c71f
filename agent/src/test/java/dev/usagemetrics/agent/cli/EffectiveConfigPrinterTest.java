package dev.usagemetrics.agent.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EffectiveConfigPrinterTest {

  private static String printed(Map<String, String> env, String... yaml) throws ConfigException {
    return EffectiveConfigPrinter.print(ConfigFixtures.parse(env, yaml));
  }

  @Test
  void headerValuesAreRedactedWhetherSubstitutedOrWrittenInline() throws ConfigException {
    String out = printed(
        Map.of("TOKEN", "s3cr3t"),
        "persist:",
        "  targets: [{class: com.acme.Repo, methods: save}]",
        "export:",
        "  headers:",
        "    Authorization: \"Bearer ${TOKEN}\"",
        "    X-Api-Key: inline-key-123");

    assertTrue(
        out.contains("  headers:\n    Authorization: <redacted>\n    X-Api-Key: <redacted>\n"),
        out);
    assertFalse(out.contains("s3cr3t"), out);
    assertFalse(out.contains("Bearer"), out);
    assertFalse(out.contains("inline-key-123"), out);
  }

  @Test
  void noHeadersPrintAsEmptyMapping() throws ConfigException {
    String out =
        printed(Map.of(), "persist:", "  targets: [{class: com.acme.Repo, methods: save}]");
    assertTrue(out.contains("  headers: {}\n"), out);
  }

  @Test
  void printsTheConfigurationWithDefaultsFilledIn() throws ConfigException {
    String out = printed(
        Map.of(), "queue:", "  targets: [{class: com.acme.Q}]", "export:", "  timeout: 1500ms");

    assertTrue(
        out.startsWith(
            "strict: false\nlog:\n  level: info\n  file: (stderr)\n  unmatched_targets_after: 60s\n"),
        out);
    assertTrue(
        out.contains(
            "queue:\n  targets:\n    - class: com.acme.Q\n      enqueue: [offer]\n      dequeue: [poll]\n"),
        out);
    assertTrue(
        out.contains("errors:\n  default_type: db_error\n  # precedence: your rules first"), out);
    assertTrue(out.contains("  rules:\n    - error_type: timeout  # shipped\n"), out);
    assertTrue(
        out.contains("      sql_states: [HYT00, HYT01, 57014, 55P03]\n      error_codes: [1205]\n"),
        out);
    assertTrue(
        out.contains(
            "  interval: (OpenTelemetry default: 60s)\n  timeout: 1500ms\n  shutdown_timeout: 5s\n"),
        out);
    assertTrue(
        out.contains(
            "  certificate: (the JVM's trusted certificates)\n  client_certificate: (none)\n  client_key: (none)\n"),
        out);
  }

  @Test
  void printsTheTlsFilesItWillRead(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    String out = printed(
        Map.of(), "queue:", "  targets: [{class: com.acme.Q}]", "export:", "  certificate: " + ca);
    assertTrue(out.contains("  certificate: " + ca + "\n"), out);
  }
}
