package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.agent.config.ExportSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsExportTest {

  /**
   * Propagator and sampler settings meant for another agent's tracing (here ones this agent does
   * not bundle, which autoconfigure would refuse) leave the metrics SDK alone.
   */
  @Test
  void tracingSettingsOfAnotherAgentDoNotStopTheExport() throws Exception {
    ExportSettings settings = ConfigFixtures.parse(
            Map.of(),
            "persist:",
            "  targets: [{class: a.B, methods: save}]",
            "export:",
            "  otlp_enabled: false")
        .export();
    System.setProperty("otel.propagators", "b3");
    System.setProperty("otel.traces.sampler", "jaeger_remote");
    try {
      MetricsExport export = MetricsExport.start(settings, resource -> List.of());
      assertEquals(
          "export disabled (otlp_enabled: false and no Prometheus endpoint)", export.destination());
      assertNull(export.shutdown(Duration.ofSeconds(5)));
    } finally {
      System.clearProperty("otel.propagators");
      System.clearProperty("otel.traces.sampler");
    }
  }
}
