package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.AgentThreads;
import dev.usagemetrics.agent.config.ExportSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK that exports the agent's metrics over OTLP, configured through the SDK's
 * own autoconfigure module so that every standard {@code OTEL_*} variable works as documented.
 * It is private to the agent: never registered as the global OpenTelemetry instance.
 */
public final class MetricsExport {

  private static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");

  private final OpenTelemetrySdk sdk;
  private final String destination;

  private MetricsExport(OpenTelemetrySdk sdk, String destination) {
    this.sdk = sdk;
    this.destination = destination;
  }

  /** Builds the SDK, exporting what {@code metrics} produces; its periodic reader starts at once. */
  public static MetricsExport start(ExportSettings settings, MetricProducer metrics) throws IOException {
    SdkLogRouting.install();
    PrometheusEndpoint prometheus =
        settings.prometheusPort() < 0 ? null : PrometheusEndpoint.start(settings.prometheusHost(), settings.prometheusPort());
    String[] destination = new String[1];
    ExportPipeline pipeline = new ExportPipeline(settings.sdkTelemetry());
    AutoConfiguredOpenTelemetrySdk autoConfigured =
        AutoConfiguredOpenTelemetrySdk.builder()
            .setServiceClassLoader(MetricsExport.class.getClassLoader())
            .addPropertiesSupplier(() -> OtelProperties.fromSettings(settings))
            .addPropertiesCustomizer(
                config -> {
                  if (settings.otlpEnabled()) { // the SDK reads them for the OTLP exporter only
                    OtelProperties.requireKnownValues(config);
                  }
                  return OtelProperties.forced(settings);
                })
            .addResourceCustomizer((resource, config) -> withInstanceId(resource))
            .addMetricExporterCustomizer(pipeline::exporter)
            .addMetricReaderCustomizer(pipeline::reader)
            .addMeterProviderCustomizer(
                (builder, config) -> {
                  destination[0] = describe(config, settings, prometheus);
                  builder.registerMetricProducer(metrics);
                  return prometheus == null ? builder : builder.registerMetricReader(prometheus);
                })
            .disableShutdownHook()
            .build();
    return new MetricsExport(autoConfigured.getOpenTelemetrySdk(), destination[0]);
  }

  /** Where metrics go and how often, for the startup summary. Header values are never included. */
  public String destination() {
    return destination;
  }

  /**
   * Exports what is left and stops, waiting at most {@code timeout}. The SDK's shutdown blocks
   * while an export is retrying against an unreachable collector, so it runs on a daemon thread
   * that is abandoned when the time is up: JVM exit is never held longer.
   */
  public boolean shutdown(Duration timeout) {
    CompletableFuture<Boolean> flushed = new CompletableFuture<>();
    AgentThreads.newThread(
            "final-export",
            () -> {
              CompletableResultCode result = sdk.getSdkMeterProvider().shutdown();
              flushed.complete(result.join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess());
            })
        .start();
    try {
      return flushed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  /** Every JVM is its own series: a unique instance id unless the user set one. */
  private static Resource withInstanceId(Resource resource) {
    if (resource.getAttribute(SERVICE_INSTANCE_ID) != null) {
      return resource;
    }
    return resource.merge(Resource.builder().put(SERVICE_INSTANCE_ID, randomInstanceId()).build());
  }

  /**
   * A random (version 4) UUID. Not {@link UUID#randomUUID()}: its SecureRandom would load and seed
   * the JVM's security providers at startup, a cost an identifier that only has to be unique among
   * the service's JVMs does not need.
   */
  static String randomInstanceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }

  private static String describe(ConfigProperties config, ExportSettings settings, PrometheusEndpoint prometheus) {
    String scrape = prometheus == null ? "" : "Prometheus scrape endpoint http://" + prometheus.address().getHostString() + ":" + prometheus.address().getPort() + "/metrics";
    if (!settings.otlpEnabled()) {
      return scrape.isEmpty() ? "export disabled (otlp_enabled: false and no Prometheus endpoint)" : scrape;
    }
    String protocol = config.getString("otel.exporter.otlp.metrics.protocol", config.getString("otel.exporter.otlp.protocol", "grpc"));
    String defaultEndpoint = "http/protobuf".equals(protocol) ? "http://localhost:4318" : "http://localhost:4317";
    String endpoint = config.getString("otel.exporter.otlp.metrics.endpoint", config.getString("otel.exporter.otlp.endpoint", defaultEndpoint));
    Duration interval = config.getDuration("otel.metric.export.interval", Duration.ofMinutes(1));
    String temporality =
        config.getString("otel.exporter.otlp.metrics.temporality.preference", "cumulative").toLowerCase(Locale.ROOT);
    return "OTLP " + protocol + " to " + endpoint + " every " + interval.toMillis() + " ms"
        + ("cumulative".equals(temporality) ? "" : ", temporality preference " + temporality)
        + (scrape.isEmpty() ? "" : "; " + scrape);
  }
}
