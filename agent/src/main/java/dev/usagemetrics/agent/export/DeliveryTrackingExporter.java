package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.metrics.MetricDefinitions;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OTLP exporter as the agent uses it. The agent's metrics arrive here as cumulative totals,
 * whatever temporality the exporter asks for (the SDK hands a {@code MetricProducer}'s data to
 * every reader as produced); this exporter sends them in the temporality the exporter's
 * preference gives each instrument, a delta being what the collector has not acknowledged yet
 * (see {@link DeliveredTotals}): it learns what was delivered from each export's result.
 *
 * <p>The SDK's metrics about its own exports pass only with {@code export.sdk_telemetry: true},
 * and then under the scope names the SDK gives them ({@code io.opentelemetry...}), not the
 * relocated names they have inside the agent's jar.
 */
final class DeliveryTrackingExporter implements MetricExporter {

  /** Where the agent's jar relocates the SDK; not itself rewritten by the relocation. */
  private static final String SHADED_PREFIX = "dev.usagemetrics.agent.shaded.";

  private final MetricExporter otlp;
  private final boolean sdkTelemetry;
  private final Duration exportTimeout;
  private final DeliveredTotals totals = new DeliveredTotals();
  /**
   * Done once the answer to the last export handed to the OTLP exporter has been taken into the
   * totals (not merely once the answer is in). Only the reader's one worker thread exports.
   */
  private CompletableResultCode lastExportSettled = CompletableResultCode.ofSuccess();

  /** {@code exportTimeout}: how long the OTLP exporter may take to answer one export. */
  DeliveryTrackingExporter(MetricExporter otlp, boolean sdkTelemetry, Duration exportTimeout) {
    this.otlp = otlp;
    this.sdkTelemetry = sdkTelemetry;
    this.exportTimeout = exportTimeout;
  }

  /**
   * Sends {@code metrics}. When the last export carried deltas and is still unanswered (the
   * reader stops waiting for an export when its timeout is up, about when the exporter's own
   * timeout fails it), this first waits for that answer, as long as an export may take: what it
   * carried is then known to be delivered or due, and this export carries what is due, at exit
   * too.
   */
  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    if (totals.anyInFlight()) {
      lastExportSettled.join(exportTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    List<MetricData> agentMetrics = new ArrayList<>(metrics.size());
    List<MetricData> sdkMetrics = new ArrayList<>();
    for (MetricData metric : metrics) {
      if (MetricDefinitions.METER_NAME.equals(
          metric.getInstrumentationScopeInfo().getName())) {
        agentMetrics.add(metric);
      } else if (sdkTelemetry) {
        sdkMetrics.add(
            ReplacedMetric.withScope(metric, unshaded(metric.getInstrumentationScopeInfo())));
      }
    }
    DeliveredTotals.Export export = totals.prepare(agentMetrics, otlp);
    List<MetricData> sent = new ArrayList<>(export.metrics());
    sent.addAll(sdkMetrics);
    if (sent.isEmpty()) {
      totals.settle(export, true);
      return CompletableResultCode.ofSuccess();
    }
    CompletableResultCode result;
    try {
      result = otlp.export(sent);
    } catch (RuntimeException | Error e) {
      totals.settle(export, false);
      throw e;
    }
    CompletableResultCode settled = new CompletableResultCode();
    result.whenComplete(() -> {
      totals.settle(export, result.isSuccess());
      settled.succeed();
    });
    lastExportSettled = settled;
    return result;
  }

  private static InstrumentationScopeInfo unshaded(InstrumentationScopeInfo scope) {
    if (!scope.getName().startsWith(SHADED_PREFIX)) {
      return scope;
    }
    String name = scope.getName().substring(SHADED_PREFIX.length());
    return InstrumentationScopeInfo.builder(name)
        .setVersion(scope.getVersion())
        .setSchemaUrl(scope.getSchemaUrl())
        .setAttributes(scope.getAttributes())
        .build();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return otlp.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return otlp.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return otlp.getMemoryMode();
  }

  @Override
  public CompletableResultCode flush() {
    return otlp.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return otlp.shutdown();
  }

  @Override
  public String toString() {
    return "DeliveryTrackingExporter{" + otlp + "}";
  }
}
