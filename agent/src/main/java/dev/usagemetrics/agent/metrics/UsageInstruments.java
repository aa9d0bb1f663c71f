package dev.usagemetrics.agent.metrics;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The three SDK instruments with their attribute sets built once, so recording allocates nothing.
 * Recording passes {@link Context#root()}: there is no trace context to attach as exemplar, and
 * looking up the current context is a cost on the hot path.
 */
final class UsageInstruments {

  private static final double SECONDS_PER_NANO = 1e-9;

  private final DoubleHistogram persistSeconds;
  private final LongCounter persistErrors;
  /** Held so the callback stays registered for the life of the SDK. */
  private final ObservableLongUpDownCounter queueSize;
  private final Attributes successAttributes = Attributes.of(MetricNames.OUTCOME, MetricNames.SUCCESS);
  private final Attributes errorAttributes = Attributes.of(MetricNames.OUTCOME, MetricNames.ERROR);
  private final Map<String, Attributes> errorTypeAttributes = new ConcurrentHashMap<>();

  /** {@code queueSize} is read at each collection; null when no queue is configured (no gauge). */
  UsageInstruments(Meter meter, Collection<String> knownErrorTypes, LongSupplier queueSize) {
    persistSeconds =
        meter.histogramBuilder(MetricNames.PERSIST_SECONDS)
            .setDescription("Usage record persistence latency")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(MetricNames.PERSIST_SECONDS_BOUNDS)
            .build();
    persistErrors =
        meter.counterBuilder(MetricNames.PERSIST_ERRORS).setDescription("Usage persistence failures").build();
    this.queueSize =
        queueSize == null
            ? null
            : meter.upDownCounterBuilder(MetricNames.QUEUE_SIZE)
                .setDescription("Pending usage records waiting to be persisted")
                .buildWithCallback(measurement -> measurement.record(queueSize.getAsLong()));
    for (String errorType : knownErrorTypes) {
      errorTypeAttributes.put(errorType, Attributes.of(MetricNames.ERROR_TYPE, errorType));
    }
  }

  /** A duration as the histogram records it. */
  static double seconds(long durationNanos) {
    return durationNanos * SECONDS_PER_NANO;
  }

  void recordSuccess(long durationNanos) {
    recordSuccessSeconds(seconds(durationNanos));
  }

  void recordSuccessSeconds(double seconds) {
    persistSeconds.record(seconds, successAttributes, Context.root());
  }

  void recordFailure(long durationNanos, String errorType) {
    recordFailureSeconds(seconds(durationNanos), errorType);
  }

  void recordFailureSeconds(double seconds, String errorType) {
    persistSeconds.record(seconds, errorAttributes, Context.root());
    persistErrors.add(1, errorTypeAttributes.computeIfAbsent(errorType, type -> Attributes.of(MetricNames.ERROR_TYPE, type)), Context.root());
  }
}
