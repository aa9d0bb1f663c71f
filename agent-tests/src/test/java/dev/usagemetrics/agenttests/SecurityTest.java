package dev.usagemetrics.agenttests;

import static dev.usagemetrics.agenttests.AgentHarness.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.TlsIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the agent exposes: no listening socket unless configured; OTLP over TLS with the
 * certificates named in the configuration (and mutual TLS); header secrets never in its log.
 */
class SecurityTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @Test
  void theAgentOpensNoListeningSocketUnlessConfigured() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC);
        ChildJvm app = AgentHarness.startStepTarget(
            "sockets",
            AgentHarness.writeConfig(
                dir,
                "agent.yaml",
                AgentHarness.stepTargetConfig(AgentHarness.exportTo(receiver, "500ms"))))) {
      ExportedTotals.awaitExactly(receiver.metrics(), run(app, "exported", 300), ARRIVAL);

      assertEquals(
          0L,
          AgentHarness.step(app, "agent_running", "sockets agent_running").get("listening"),
          "no listening socket with the agent exporting: " + app.stdout());
      // Control: the same look finds a socket the application itself listens on.
      assertEquals(
          1L,
          AgentHarness.step(app, "app_listening", "listen app_listening").get("listening"),
          app.stdout());
      app.sendLine("exit");
      assertEquals(0, app.waitFor(ARRIVAL), app.stderr());
    }
  }

  @ParameterizedTest(name = "mutual TLS: {0}")
  @ValueSource(booleans = {false, true})
  void otlpOverTlsWithTheConfiguredCertificatesAndNoSecretInTheDebugLog(boolean mutual) {
    TlsIdentity collector = TlsIdentity.selfSigned(dir, "collector");
    TlsIdentity agent = mutual ? TlsIdentity.selfSigned(dir, "agent") : null;
    String secret = "s3cr3t-" + UUID.randomUUID();
    try (OtlpReceiver receiver = OtlpReceiver.startTls(collector, agent)) {
      List<String> export = new ArrayList<>(List.of(AgentHarness.exportTo(receiver, "500ms")));
      // Self-signed, so in no JVM trust store: only the configured certificate makes it trusted.
      export.add("  certificate: " + collector.certificate());
      if (mutual) {
        export.add("  client_key: " + agent.privateKey());
        export.add("  client_certificate: " + agent.certificate());
      }
      export.addAll(List.of(
          "  headers:", "    Authorization: \"Bearer " + secret + "\"", "log:", "  level: debug"));
      Path config = AgentHarness.writeConfig(
          dir, "agent.yaml", AgentHarness.stepTargetConfig(export.toArray(new String[0])));
      assertTrue(receiver.endpoint().startsWith("https://"), receiver.endpoint());

      try (ChildJvm app = AgentHarness.startStepTarget("tls-mutual-" + mutual, config)) {
        Map<String, Long> work = run(app, "work", 300);
        ExportedTotals.awaitExactly(receiver.metrics(), work, ARRIVAL);
        app.sendLine("exit");
        assertEquals(0, app.waitFor(ARRIVAL), app.stderr());

        assertTrue(
            receiver.headerValues("authorization").contains("Bearer " + secret),
            "the secret header was sent");
        assertTrue(app.stderr().contains(" DEBUG "), "the agent logged at debug level");
        assertFalse(
            app.stderr().contains(secret),
            "the header secret is in the agent's log:\n" + app.stderr());
        assertFalse(
            app.stdout().contains(secret), "the header secret is in the application's output");
      }
    }
  }
}
