package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.config.ExportSettings;
import dev.usagemetrics.agent.export.resource.ResourceProviders;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Translates the YAML {@code export} section into OpenTelemetry autoconfigure properties.
 *
 * <p>These are the lowest-precedence source: {@code -Dotel.*} system properties, then
 * {@code OTEL_*} environment variables, override them; that is autoconfigure's own order.
 */
final class OtelProperties {

  static final String EXPORT_INTERVAL = "otel.metric.export.interval";

  private OtelProperties() {}

  /**
   * Properties the user cannot override: the agent exports only metrics, only over OTLP (or not
   * at all when only the Prometheus endpoint serves them), attaches no exemplars, and neither
   * samples spans nor propagates context (its SDK is never the application's). Forcing them also
   * keeps an {@code OTEL_*} environment meant for another agent in the same JVM from switching ours
   * to an exporter, propagator ({@code b3}) or sampler ({@code jaeger_remote}) it does not bundle,
   * which would stop its export from starting; and the unused propagators are not even built.
   */
  static Map<String, String> forced(ExportSettings settings) {
    return Map.of(
        "otel.sdk.disabled", "false",
        "otel.metrics.exporter", settings.otlpEnabled() ? "otlp" : "none",
        "otel.traces.exporter", "none",
        "otel.logs.exporter", "none",
        "otel.metrics.exemplar.filter", "always_off",
        "otel.propagators", "none",
        "otel.traces.sampler", "always_off");
  }

  /**
   * Refuses, naming the variable and the values it takes, a standard setting the SDK would reject
   * with only "Unrecognized ...: value". Called before the SDK reads them.
   */
  static void requireKnownValues(ConfigProperties config) {
    requireOneOf(
        config,
        "otel.exporter.otlp.metrics.temporality.preference",
        "cumulative",
        "delta",
        "lowmemory");
    requireOneOf(
        config,
        ExportPipeline.HISTOGRAM_AGGREGATION,
        "explicit_bucket_histogram",
        ExportPipeline.EXPONENTIAL_HISTOGRAM);
  }

  private static void requireOneOf(ConfigProperties config, String property, String... values) {
    String value = config.getString(property);
    if (value != null && Arrays.stream(values).noneMatch(value::equalsIgnoreCase)) {
      String variable = property.toUpperCase(Locale.ROOT).replace('.', '_');
      throw new ConfigurationException(variable + " (" + property + ") is '" + value
          + "'; it must be one of " + String.join(", ", values));
    }
  }

  /**
   * How often the SDK will export, as autoconfigure resolves {@code otel.metric.export.interval}
   * (the system property, else {@code OTEL_METRIC_EXPORT_INTERVAL}, else the file's
   * {@code export.interval}); null when none is set, or when the setting is malformed (the SDK's
   * start then refuses it out loud).
   */
  static Duration exportInterval(ExportSettings settings, ComponentLoader loader) {
    try {
      return DefaultConfigProperties.create(fromSettings(settings), loader)
          .getDuration(EXPORT_INTERVAL);
    } catch (ConfigurationException malformed) {
      return null;
    }
  }

  static Map<String, String> fromSettings(ExportSettings settings) {
    Map<String, String> properties = new HashMap<>();
    // A failed export loses nothing: the next one carries the totals (cumulative) or what was not
    // delivered (delta; see DeliveryTrackingExporter). Without retries an unreachable collector
    // costs one attempt per interval, and JVM exit is not held by a retry back-off. Users who
    // want retries can still set this property to false.
    properties.put("otel.java.exporter.otlp.retry.disabled", "true");
    putIfSet(properties, "otel.exporter.otlp.endpoint", settings.endpoint());
    putIfSet(properties, "otel.exporter.otlp.protocol", settings.protocol());
    putIfSet(properties, "otel.service.name", settings.serviceName());
    if (settings.interval() != null) {
      properties.put(EXPORT_INTERVAL, Long.toString(settings.interval().toMillis()));
    }
    if (settings.timeout() != null) {
      properties.put(
          "otel.exporter.otlp.timeout", Long.toString(settings.timeout().toMillis()));
    }
    putIfSet(properties, "otel.exporter.otlp.certificate", settings.tls().trustedCertificates());
    putIfSet(properties, "otel.exporter.otlp.client.key", settings.tls().clientKey());
    putIfSet(
        properties, "otel.exporter.otlp.client.certificate", settings.tls().clientCertificate());
    if (!settings.headers().isEmpty()) {
      properties.put("otel.exporter.otlp.headers", encodeMap(settings.headers()));
    }
    if (!settings.resourceAttributes().isEmpty()) {
      properties.put("otel.resource.attributes", encodeMap(settings.resourceAttributes()));
    }
    if (!settings.disabledResourceProviders().isEmpty()) {
      properties.put(
          "otel.java.disabled.resource.providers",
          settings.disabledResourceProviders().stream()
              .map(ResourceProviders::className)
              .collect(Collectors.joining(",")));
    }
    return properties;
  }

  /** {@code k=v,k2=v2} with values percent-encoded, as autoconfigure decodes them. */
  private static String encodeMap(Map<String, String> entries) {
    return entries.entrySet().stream()
        .map(e -> e.getKey() + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
        .collect(Collectors.joining(","));
  }

  private static void putIfSet(Map<String, String> properties, String key, String value) {
    if (value != null) {
      properties.put(key, value);
    }
  }
}
