package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.config.ExportSettings;
import dev.usagemetrics.agent.export.resource.InstanceIdResourceProvider;
import dev.usagemetrics.agent.identity.AgentThreads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The OpenTelemetry SDK that exports the agent's metrics over OTLP, configured through the SDK's
 * own autoconfigure module so that every standard {@code OTEL_*} variable works as documented.
 * It is private to the agent: never registered as the global OpenTelemetry instance.
 */
public final class MetricsExport {

  private static final AttributeKey<String> SERVICE_INSTANCE_ID =
      AttributeKey.stringKey("service.instance.id");

  /** How long the export at exit may take before the collector is checked for being reachable at all. */
  static final Duration REACHABILITY_CHECK_AFTER = Duration.ofMillis(50);

  private final OpenTelemetrySdk sdk;
  private final String destination;
  /** Where OTLP exports go; null when OTLP is off. */
  private final URI collector;

  private MetricsExport(OpenTelemetrySdk sdk, String destination, URI collector) {
    this.sdk = sdk;
    this.destination = destination;
    this.collector = collector;
  }

  /**
   * How often metrics will be exported under {@code settings} and the standard {@code OTEL_*}
   * settings; null when the SDK's default applies or the setting is malformed.
   */
  public static Duration exportInterval(ExportSettings settings) {
    return OtelProperties.exportInterval(
        settings, new ServiceProviders(MetricsExport.class.getClassLoader()));
  }

  /**
   * Starts loading the classes that {@link #start} and the first OTLP export will need, on a thread
   * of its own ({@link ExportClassPreloader}); call just before {@link #start}.
   */
  public static void loadClassesAhead(ExportSettings settings) {
    if (settings.otlpEnabled()) {
      ExportClassPreloader.start();
    }
  }

  /** Builds the SDK, exporting what {@code metrics} produces; its periodic reader starts at once. */
  public static MetricsExport start(ExportSettings settings, MetricProducer metrics)
      throws IOException {
    SdkLogRouting.install();
    PrometheusEndpoint prometheus = settings.prometheusPort().isPresent()
        ? PrometheusEndpoint.start(
            settings.prometheusHost(), settings.prometheusPort().getAsInt())
        : null;
    String[] destination = new String[1];
    URI[] collector = new URI[1];
    ExportPipeline pipeline = new ExportPipeline(settings.sdkTelemetry());
    AutoConfiguredOpenTelemetrySdk autoConfigured = AutoConfiguredOpenTelemetrySdk.builder()
        .setComponentLoader(new ServiceProviders(MetricsExport.class.getClassLoader()))
        .addPropertiesSupplier(() -> OtelProperties.fromSettings(settings))
        .addPropertiesCustomizer(config -> {
          if (settings.otlpEnabled()) { // the SDK reads them for the OTLP exporter only
            OtelProperties.requireKnownValues(config);
          }
          return OtelProperties.forced(settings);
        })
        .addResourceCustomizer((resource, config) -> withInstanceId(resource))
        .addMetricExporterCustomizer(pipeline::exporter)
        .addMetricReaderCustomizer(pipeline::reader)
        .addMeterProviderCustomizer((builder, config) -> {
          destination[0] = describe(config, settings, prometheus);
          collector[0] = settings.otlpEnabled() ? URI.create(otlpEndpoint(config)) : null;
          builder.registerMetricProducer(metrics);
          return prometheus == null ? builder : builder.registerMetricReader(prometheus);
        })
        .disableShutdownHook()
        .build();
    return new MetricsExport(autoConfigured.getOpenTelemetrySdk(), destination[0], collector[0]);
  }

  /** Where metrics go and how often, for the startup summary. Header values are never included. */
  public String destination() {
    return destination;
  }

  /**
   * Exports what is left and stops, waiting at most {@code timeout}; returns null when the last
   * values were delivered, else why not, in words. The SDK's shutdown blocks while its exporter
   * retries, so it runs on a daemon thread that is abandoned when the time is up: JVM exit is never
   * held longer. An export still running after {@link #REACHABILITY_CHECK_AFTER} is not waited for
   * once the collector proves unreachable (connection refused, host unknown), since the exporter
   * would only retry that with backoff until the time is up; a collector that accepts connections
   * is waited for, however slow. The SDK's own messages about failed exports are left to the
   * caller's one line from now on.
   */
  public String shutdown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SdkLogRouting.exitExportStarted();
    CompletableFuture<String> notDelivered = new CompletableFuture<>();
    AgentThreads.newThread("final-export", () -> {
          try {
            CompletableResultCode result = sdk.getSdkMeterProvider().shutdown();
            boolean delivered =
                result.join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
            notDelivered.complete(delivered ? null : exportFailure(result));
          } catch (RuntimeException | Error e) {
            notDelivered.complete("the SDK failed to shut down: " + e);
          }
        })
        .start();
    if (!completesWithin(
            notDelivered, Math.min(REACHABILITY_CHECK_AFTER.toNanos(), timeout.toNanos()))
        && collector != null) {
      Duration connectTimeout = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      AgentThreads.newThread("collector-check", () -> {
            String unreachable = CollectorReachability.unreachable(collector, connectTimeout);
            if (unreachable != null) {
              notDelivered.complete(unreachable);
            }
          })
          .start();
    }
    if (!completesWithin(notDelivered, deadline - System.nanoTime())) {
      return "the collector did not answer within export.shutdown_timeout (" + timeout.toMillis()
          + " ms)";
    }
    return notDelivered.getNow(null);
  }

  /** Waits at most {@code nanos} for {@code future}; true once it is complete. */
  private static boolean completesWithin(CompletableFuture<String> future, long nanos) {
    try {
      future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return future.isDone();
    } catch (ExecutionException impossible) {
      return true;
    }
  }

  /** Why a finished export failed: what the exporter reported last, if it said. */
  private static String exportFailure(CompletableResultCode result) {
    if (!result.isDone()) {
      return "the collector did not answer in time";
    }
    String reported = SdkLogRouting.lastExportFailure();
    return reported == null ? "the export failed" : "the export failed: " + reported;
  }

  /**
   * Every JVM is its own series: a unique instance id unless the user set one. It comes from
   * {@link InstanceIdResourceProvider}; this covers that provider being disabled by name.
   */
  private static Resource withInstanceId(Resource resource) {
    if (resource.getAttribute(SERVICE_INSTANCE_ID) != null) {
      return resource;
    }
    return resource.merge(Resource.builder()
        .put(SERVICE_INSTANCE_ID, InstanceIdResourceProvider.randomInstanceId())
        .build());
  }

  private static String protocol(ConfigProperties config) {
    return config.getString(
        "otel.exporter.otlp.metrics.protocol",
        config.getString("otel.exporter.otlp.protocol", "grpc"));
  }

  /** The OTLP endpoint as autoconfigure resolves it (the generic one, the metrics one, or the protocol's default). */
  private static String otlpEndpoint(ConfigProperties config) {
    String defaultEndpoint = "http/protobuf".equals(protocol(config))
        ? "http://localhost:4318"
        : "http://localhost:4317";
    return config.getString(
        "otel.exporter.otlp.metrics.endpoint",
        config.getString("otel.exporter.otlp.endpoint", defaultEndpoint));
  }

  private static String describe(
      ConfigProperties config, ExportSettings settings, PrometheusEndpoint prometheus) {
    String scrape = prometheus == null
        ? ""
        : "Prometheus scrape endpoint http://" + prometheus.address().getHostString() + ":"
            + prometheus.address().getPort() + "/metrics";
    if (!settings.otlpEnabled()) {
      return scrape.isEmpty()
          ? "export disabled (otlp_enabled: false and no Prometheus endpoint)"
          : scrape;
    }
    String protocol = protocol(config);
    String endpoint = otlpEndpoint(config);
    Duration interval = config.getDuration("otel.metric.export.interval", Duration.ofMinutes(1));
    String temporality = config
        .getString("otel.exporter.otlp.metrics.temporality.preference", "cumulative")
        .toLowerCase(Locale.ROOT);
    return "OTLP " + protocol + " to " + endpoint + " every " + interval.toMillis() + " ms"
        + ("cumulative".equals(temporality) ? "" : ", temporality preference " + temporality)
        + (scrape.isEmpty() ? "" : "; " + scrape);
  }
}
