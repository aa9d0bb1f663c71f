package dev.usagemetrics.bench;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The startup floor of exporting over OTLP from inside a JVM, without any agent: the OpenTelemetry
 * SDK and its OTLP/HTTP exporter (the same versions the agent bundles), started in {@code main},
 * one value recorded, exported when the program ends. Whatever exports its measurements this way,
 * an agent included, pays at least this. Argument: the OTLP/HTTP metrics URL.
 */
public final class StartupSdkMain {

  private StartupSdkMain() {}

  public static void main(String[] args) {
    SdkMeterProvider provider = SdkMeterProvider.builder()
        .registerMetricReader(PeriodicMetricReader.builder(
                OtlpHttpMetricExporter.builder().setEndpoint(args[0]).build())
            .setInterval(Duration.ofHours(1))
            .build())
        .build();
    long start = System.nanoTime();
    long result = new BenchRepository().persist(args.length);
    provider
        .get("startup-floor")
        .histogramBuilder("llm_usage_persist_seconds")
        .setUnit("s")
        .build()
        .record((System.nanoTime() - start) / 1e9);
    if (!provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess() || result == 0) {
      throw new IllegalStateException("the final export failed");
    }
  }
}
