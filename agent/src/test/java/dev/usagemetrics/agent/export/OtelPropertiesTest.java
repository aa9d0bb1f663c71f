package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.agent.config.ExportSettings;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtelPropertiesTest {

  private static ExportSettings export(String... exportLines) throws Exception {
    String[] lines = new String[exportLines.length + 4];
    lines[0] = "persist:";
    lines[1] = "  targets: [{class: a.B, methods: save}]";
    lines[2] = "export:";
    System.arraycopy(exportLines, 0, lines, 3, exportLines.length);
    lines[lines.length - 1] = "  service_name: billing";
    return ConfigFixtures.parse(Map.of(), lines).export();
  }

  @Test
  void theExportIntervalIsTheFilesUnlessTheStandardSettingOverridesIt() throws Exception {
    ServiceProviders loader = new ServiceProviders(getClass().getClassLoader());
    assertEquals(
        Duration.ofSeconds(5), OtelProperties.exportInterval(export("  interval: 5s"), loader));
    assertNull(OtelProperties.exportInterval(export(), loader), "none set: the SDK's default");
    String before = System.getProperty(OtelProperties.EXPORT_INTERVAL);
    try {
      System.setProperty(OtelProperties.EXPORT_INTERVAL, "2s");
      assertEquals(
          Duration.ofSeconds(2), OtelProperties.exportInterval(export("  interval: 5s"), loader));
      System.setProperty(OtelProperties.EXPORT_INTERVAL, "1500");
      assertEquals(Duration.ofMillis(1500), OtelProperties.exportInterval(export(), loader));
      System.setProperty(OtelProperties.EXPORT_INTERVAL, "soon");
      assertNull(
          OtelProperties.exportInterval(export("  interval: 5s"), loader),
          "malformed: the SDK's start refuses it");
    } finally {
      if (before == null) {
        System.clearProperty(OtelProperties.EXPORT_INTERVAL);
      } else {
        System.setProperty(OtelProperties.EXPORT_INTERVAL, before);
      }
    }
  }

  @Test
  void tlsFilesBecomeTheOtlpExporterProperties(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    Path key = Files.writeString(dir.resolve("client.key"), "pem");
    Path certificate = Files.writeString(dir.resolve("client.pem"), "pem");
    Map<String, String> properties = OtelProperties.fromSettings(export(
        "  certificate: " + ca, "  client_key: " + key, "  client_certificate: " + certificate));

    assertEquals(ca.toString(), properties.get("otel.exporter.otlp.certificate"));
    assertEquals(key.toString(), properties.get("otel.exporter.otlp.client.key"));
    assertEquals(certificate.toString(), properties.get("otel.exporter.otlp.client.certificate"));
  }

  @Test
  void disabledResourceProvidersBecomeAutoconfiguresListOfClassNames() throws Exception {
    Map<String, String> properties =
        OtelProperties.fromSettings(export("  disabled_resource_providers: [process, container]"));
    assertEquals(
        "dev.usagemetrics.agent.export.resource.ProcessResourceProvider,"
            + "dev.usagemetrics.agent.export.resource.ContainerResourceProvider",
        properties.get("otel.java.disabled.resource.providers"));
    assertFalse(
        OtelProperties.fromSettings(export()).containsKey("otel.java.disabled.resource.providers"),
        "none disabled: none named");
  }

  @Test
  void anUnknownTemporalityPreferenceOrHistogramAggregationIsRefusedByName() {
    ConfigurationException refused = assertThrows(
        ConfigurationException.class,
        () -> OtelProperties.requireKnownValues(DefaultConfigProperties.createFromMap(
            Map.of("otel.exporter.otlp.metrics.temporality.preference", "deltas"))));
    assertEquals(
        "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE (otel.exporter.otlp.metrics.temporality.preference)"
            + " is 'deltas'; it must be one of cumulative, delta, lowmemory",
        refused.getMessage());
    Map<String, String> aggregation =
        Map.of("otel.exporter.otlp.metrics.default.histogram.aggregation", "exp");
    refused = assertThrows(
        ConfigurationException.class,
        () ->
            OtelProperties.requireKnownValues(DefaultConfigProperties.createFromMap(aggregation)));
    assertTrue(
        refused.getMessage().startsWith("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION"),
        refused.getMessage());

    OtelProperties.requireKnownValues(DefaultConfigProperties.createFromMap(Map.of(
        "otel.exporter.otlp.metrics.temporality.preference", "LowMemory",
        "otel.exporter.otlp.metrics.default.histogram.aggregation",
            "base2_exponential_bucket_histogram")));
  }

  @Test
  void noTlsFilesSetNoTlsProperties() throws Exception {
    Map<String, String> properties =
        OtelProperties.fromSettings(export("  endpoint: https://collector.example:4317"));

    assertFalse(properties.containsKey("otel.exporter.otlp.certificate"));
    assertFalse(properties.containsKey("otel.exporter.otlp.client.key"));
    assertFalse(properties.containsKey("otel.exporter.otlp.client.certificate"));
    assertEquals("https://collector.example:4317", properties.get("otel.exporter.otlp.endpoint"));
  }
}
