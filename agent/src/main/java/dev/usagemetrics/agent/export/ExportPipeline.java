package dev.usagemetrics.agent.export;

import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_SECONDS;

import dev.usagemetrics.agent.identity.AgentThreads;
import dev.usagemetrics.agent.log.AgentLog;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReaderBuilder;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The OTLP exporter and the periodic reader as the agent runs them. Autoconfigure builds both
 * from the standard properties; its customizers rebuild them with the same settings and these
 * changes:
 *
 * <ul>
 *   <li>the exporter is wrapped in a {@link DeliveryTrackingExporter}, which sends the agent's
 *       totals in the temporality the standard preference asks for;
 *   <li>the SDK's metrics about its own work are not even recorded unless
 *       {@code export.sdk_telemetry} asks for them;
 *   <li>the export work runs on threads named like the agent's own ({@code usage-metrics-...}),
 *       so a thread dump of the application shows whose they are (the reader's worker thread and
 *       OkHttp's internal task threads take no executor: they keep the SDK's and OkHttp's names);
 *   <li>the reader waits for an export as long as the exporter's own timeout (retries included),
 *       not just one interval: with a short interval the SDK would give up on an export still
 *       under way, start the next one alongside, and fail the export on exit after one interval
 *       whatever {@code export.shutdown_timeout} allows.
 * </ul>
 */
final class ExportPipeline {

  static final String HISTOGRAM_AGGREGATION =
      "otel.exporter.otlp.metrics.default.histogram.aggregation";
  static final String EXPONENTIAL_HISTOGRAM = "base2_exponential_bucket_histogram";

  private final ExecutorService sender =
      Executors.newCachedThreadPool(AgentThreads.factory("export-sender"));
  private final ScheduledExecutorService schedule =
      Executors.newSingleThreadScheduledExecutor(AgentThreads.factory("export-schedule"));
  private final boolean sdkTelemetry;
  private MetricExporter exporter;

  ExportPipeline(boolean sdkTelemetry) {
    this.sdkTelemetry = sdkTelemetry;
  }

  /** For autoconfigure's metric exporter customizer: the OTLP exporter, sending on the agent's threads. */
  MetricExporter exporter(MetricExporter configured, ConfigProperties config) {
    warnIfExponentialHistogramsAsked(config);
    MeterProvider selfTelemetry = sdkTelemetry ? null : MeterProvider.noop();
    MetricExporter rebuilt = configured;
    if (configured instanceof OtlpGrpcMetricExporter) {
      OtlpGrpcMetricExporterBuilder builder =
          ((OtlpGrpcMetricExporter) configured).toBuilder().setExecutorService(sender);
      rebuilt = (selfTelemetry == null ? builder : builder.setMeterProvider(selfTelemetry)).build();
    } else if (configured instanceof OtlpHttpMetricExporter) {
      OtlpHttpMetricExporterBuilder builder =
          ((OtlpHttpMetricExporter) configured).toBuilder().setExecutorService(sender);
      rebuilt = (selfTelemetry == null ? builder : builder.setMeterProvider(selfTelemetry)).build();
    }
    if (rebuilt != configured) {
      configured
          .shutdown(); // never used: releases its HTTP client, which has started no thread yet
    }
    exporter = new DeliveryTrackingExporter(rebuilt, sdkTelemetry, exportTimeout(config));
    return exporter;
  }

  /**
   * The agent's histogram has explicit buckets, which the shipped Prometheus rules and dashboard
   * query; it is not turned into an exponential one, and a user who asked for that is told so.
   * (Recording one as well would take a second set of per-thread buckets with a scale of their
   * own, and a logarithm, on every call.)
   */
  private static void warnIfExponentialHistogramsAsked(ConfigProperties config) {
    if (EXPONENTIAL_HISTOGRAM.equalsIgnoreCase(config.getString(HISTOGRAM_AGGREGATION, ""))) {
      AgentLog.warn("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION ("
          + HISTOGRAM_AGGREGATION + ") is "
          + EXPONENTIAL_HISTOGRAM + ", which this agent does not apply: " + PERSIST_SECONDS.name()
          + " keeps its explicit buckets " + PERSIST_SECONDS.bounds() + " ("
          + PERSIST_SECONDS.unit() + "), which"
          + " the shipped Prometheus rules and dashboard query. Unset it, or set explicit_bucket_histogram, for this"
          + " line to go away");
    }
  }

  /**
   * For autoconfigure's metric reader customizer: the periodic reader around that exporter, built
   * from the same properties autoconfigure reads, scheduled on the agent's thread, waiting for an
   * export as long as the exporter's timeout.
   */
  MetricReader reader(MetricReader configured, ConfigProperties config) {
    if (!(configured instanceof PeriodicMetricReader) || exporter == null) {
      return configured;
    }
    PeriodicMetricReaderBuilder builder = PeriodicMetricReader.builder(exporter)
        .setExecutor(schedule)
        .setInterval(config.getDuration("otel.metric.export.interval", Duration.ofMinutes(1)))
        .setExporterTimeout(exportTimeout(config))
        // LEGACY: the reader then records nothing about its collections.
        .setInternalTelemetryVersion(
            sdkTelemetry ? InternalTelemetryVersion.LATEST : InternalTelemetryVersion.LEGACY);
    Integer maxBatchSize = config.getInt("otel.metric.export.max.batch.size");
    if (maxBatchSize != null) {
      builder.setMaxExportBatchSize(maxBatchSize);
    }
    return builder.build();
  }

  /** The OTLP exporter's timeout for one export, as autoconfigure gives it to the exporter. */
  private static Duration exportTimeout(ConfigProperties config) {
    Duration timeout = config.getDuration("otel.exporter.otlp.timeout", Duration.ofSeconds(10));
    return config.getDuration("otel.exporter.otlp.metrics.timeout", timeout);
  }
}
