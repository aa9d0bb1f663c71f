package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.AgentThreads;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
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
 * from the standard properties; its customizers rebuild them with the same settings and two
 * changes:
 *
 * <ul>
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

  private final ExecutorService sender = Executors.newCachedThreadPool(AgentThreads.factory("export-sender"));
  private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(AgentThreads.factory("export-schedule"));
  private MetricExporter exporter;

  /** For autoconfigure's metric exporter customizer: the OTLP exporter, sending on the agent's threads. */
  MetricExporter exporter(MetricExporter configured, ConfigProperties config) {
    MetricExporter rebuilt = configured;
    if (configured instanceof OtlpGrpcMetricExporter) {
      rebuilt = ((OtlpGrpcMetricExporter) configured).toBuilder().setExecutorService(sender).build();
    } else if (configured instanceof OtlpHttpMetricExporter) {
      rebuilt = ((OtlpHttpMetricExporter) configured).toBuilder().setExecutorService(sender).build();
    }
    if (rebuilt != configured) {
      configured.shutdown(); // never used: releases its HTTP client, which has started no thread yet
    }
    exporter = rebuilt;
    return rebuilt;
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
    Duration exportTimeout =
        config.getDuration("otel.exporter.otlp.metrics.timeout", config.getDuration("otel.exporter.otlp.timeout", Duration.ofSeconds(10)));
    PeriodicMetricReaderBuilder builder =
        PeriodicMetricReader.builder(exporter)
            .setExecutor(schedule)
            .setInterval(config.getDuration("otel.metric.export.interval", Duration.ofMinutes(1)))
            .setExporterTimeout(exportTimeout);
    Integer maxBatchSize = config.getInt("otel.metric.export.max.batch.size");
    if (maxBatchSize != null) {
      builder.setMaxExportBatchSize(maxBatchSize);
    }
    return builder.build();
  }
}
