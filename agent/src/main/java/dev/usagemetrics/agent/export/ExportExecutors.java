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
 * Puts the SDK's export work on threads named like the agent's own ({@code usage-metrics-...}),
 * so a thread dump of the application shows whose they are. Autoconfigure has no setting for
 * executors, so the OTLP exporter and the periodic reader it built are rebuilt with the same
 * settings and the agent's executors. (The reader's worker thread and OkHttp's internal task
 * threads cannot be given executors: they keep the SDK's and OkHttp's names.)
 */
final class ExportExecutors {

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
   * from the same properties autoconfigure reads, scheduled on the agent's thread.
   */
  MetricReader reader(MetricReader configured, ConfigProperties config) {
    if (!(configured instanceof PeriodicMetricReader) || exporter == null) {
      return configured;
    }
    PeriodicMetricReaderBuilder builder =
        PeriodicMetricReader.builder(exporter)
            .setExecutor(schedule)
            .setInterval(config.getDuration("otel.metric.export.interval", Duration.ofMinutes(1)));
    Integer maxBatchSize = config.getInt("otel.metric.export.max.batch.size");
    if (maxBatchSize != null) {
      builder.setMaxExportBatchSize(maxBatchSize);
    }
    return builder.build();
  }
}
