package dev.usagemetrics.testkit;

import static dev.usagemetrics.testkit.UsageMetrics.ERROR_TYPE;
import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS_BOUNDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenTelemetry SDK in this JVM, with the agent's three instruments, exporting over OTLP
 * to a receiver only when flushed. Stands in for the agent to prove the receiver, the view and the
 * demo's summary.
 */
public final class StandInSdk implements AutoCloseable {

  public static final String SERVICE_NAME = "testkit-sdk";

  /** Retries soon, so tests of refusal need not sit through the default backoff. */
  private static final RetryPolicy QUICK_RETRY = RetryPolicy.builder()
      .setMaxAttempts(5)
      .setInitialBackoff(Duration.ofMillis(100))
      .setMaxBackoff(Duration.ofMillis(400))
      .build();

  public final DoubleHistogram persistSeconds;
  public final LongCounter persistErrors;
  public final LongUpDownCounter queueSize;
  private final SdkMeterProvider provider;

  private StandInSdk(SdkMeterProvider provider) {
    this.provider = provider;
    Meter meter = provider.get("dev.usagemetrics.testkit");
    persistSeconds = meter
        .histogramBuilder(PERSIST_SECONDS)
        .setUnit("s")
        .setExplicitBucketBoundariesAdvice(PERSIST_SECONDS_BOUNDS)
        .build();
    persistErrors = meter.counterBuilder(PERSIST_ERRORS_TOTAL).build();
    queueSize = meter.upDownCounterBuilder(QUEUE_SIZE).build();
  }

  public static Options exportingTo(OtlpReceiver receiver) {
    return exportingTo(receiver.protocol(), receiver.metricsEndpoint());
  }

  /** @param metricsEndpoint as {@link OtlpReceiver#metricsEndpoint()} would give it */
  public static Options exportingTo(Protocol protocol, String metricsEndpoint) {
    return new Options(protocol, metricsEndpoint);
  }

  public void recordPersist(String outcome, double seconds) {
    persistSeconds.record(seconds, Attributes.of(AttributeKey.stringKey(OUTCOME), outcome));
  }

  public void recordError(String errorType, long count) {
    persistErrors.add(count, Attributes.of(AttributeKey.stringKey(ERROR_TYPE), errorType));
  }

  /** Starts one export of everything recorded so far; completes when it is answered. */
  public CompletableResultCode flush() {
    return provider.forceFlush();
  }

  /** Exports and asserts the receiver took it. */
  public void flushAndExpectSuccess() {
    CompletableResultCode result = flush().join(20, TimeUnit.SECONDS);
    assertTrue(result.isSuccess(), "export was not accepted");
  }

  @Override
  public void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** How to export: headers, compression, timeout, identity. */
  public static final class Options {
    private final Protocol protocol;
    private final String metricsEndpoint;
    private String instanceId = "instance-1";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String compression = "none";
    private Duration timeout = Duration.ofSeconds(10);

    private Options(Protocol protocol, String metricsEndpoint) {
      this.protocol = protocol;
      this.metricsEndpoint = metricsEndpoint;
    }

    public Options instanceId(String instanceId) {
      this.instanceId = instanceId;
      return this;
    }

    public Options header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    public Options gzip() {
      compression = "gzip";
      return this;
    }

    public Options timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public StandInSdk start() {
      Resource resource = Resource.create(Attributes.of(
          AttributeKey.stringKey(MetricPoint.SERVICE_NAME), SERVICE_NAME,
          AttributeKey.stringKey(MetricPoint.SERVICE_INSTANCE_ID), instanceId));
      // Exports happen only on flush(): an hour-long interval never fires during a test.
      PeriodicMetricReader reader = PeriodicMetricReader.builder(exporter())
          .setInterval(Duration.ofHours(1))
          .build();
      return new StandInSdk(SdkMeterProvider.builder()
          .setResource(resource)
          .registerMetricReader(reader)
          .build());
    }

    private MetricExporter exporter() {
      if (protocol == Protocol.GRPC) {
        var builder = OtlpGrpcMetricExporter.builder()
            .setEndpoint(metricsEndpoint)
            .setCompression(compression)
            .setTimeout(timeout)
            .setRetryPolicy(QUICK_RETRY);
        headers.forEach(builder::addHeader);
        return builder.build();
      }
      var builder = OtlpHttpMetricExporter.builder()
          .setEndpoint(metricsEndpoint)
          .setCompression(compression)
          .setTimeout(timeout)
          .setRetryPolicy(QUICK_RETRY);
      headers.forEach(builder::addHeader);
      return builder.build();
    }
  }
}
