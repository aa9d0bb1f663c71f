package dev.usagemetrics.agent.metrics;

import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_ERRORS;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_SECONDS;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.QUEUE_SIZE;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.Data;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Hands the three instruments of {@link MetricDefinitions} to the OpenTelemetry SDK at each
 * collection, as cumulative data the SDK's readers export like their own: the persist seconds
 * (histogram per outcome), the persist errors (monotonic sum per error type) and the queue size
 * (non-monotonic sum, no attributes). A series appears once something was recorded in it, as with
 * the SDK's own instruments; the queue size, once a queue is configured. Points carry the
 * exemplars kept since the last collection (see {@link ExemplarSlots}).
 */
final class UsageMetricProducer implements MetricProducer {

  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.create(MetricDefinitions.METER_NAME);
  /** Indexed by {@link PersistTotals}' outcome. */
  private static final Attributes[] OUTCOMES = outcomeAttributes();

  private final PersistTotals persistTotals;
  private final List<Attributes> errorTypeAttributes = new ArrayList<>();
  private final LongSupplier queueSize;
  private final Clock clock = Clock.getDefault();
  private final long startEpochNanos;

  /**
   * {@code errorTypes} in the order of {@code persistTotals}' error type indexes; {@code queueSize}
   * null when no queue is configured; {@code startEpochNanos} when recording began.
   */
  UsageMetricProducer(
      PersistTotals persistTotals,
      List<String> errorTypes,
      LongSupplier queueSize,
      long startEpochNanos) {
    this.persistTotals = persistTotals;
    this.startEpochNanos = startEpochNanos;
    for (String type : errorTypes) {
      errorTypeAttributes.add(Attributes.of(PERSIST_ERRORS.attributeKey(), type));
    }
    this.queueSize = queueSize;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    long now = clock.now();
    PersistTotals.Totals totals = persistTotals.total();
    List<MetricData> metrics = new ArrayList<>(3);
    List<HistogramPointData> durations = new ArrayList<>(2);
    for (int outcome = PersistTotals.SUCCESS; outcome <= PersistTotals.ERROR; outcome++) {
      long count = totals.count(outcome);
      if (count > 0) {
        durations.add(histogramPoint(totals, outcome, count, now));
      }
    }
    if (!durations.isEmpty()) {
      metrics.add(new ProducedMetric(
          resource,
          PERSIST_SECONDS,
          HistogramData.create(AggregationTemporality.CUMULATIVE, durations)));
    }
    List<LongPointData> errors = new ArrayList<>();
    for (int type = 0; type < totals.errors.length; type++) {
      if (totals.errors[type] > 0) {
        Exemplar latest = totals.errorExemplars[type];
        errors.add(ImmutableLongPointData.create(
            startEpochNanos,
            now,
            errorTypeAttributes.get(type),
            totals.errors[type],
            latest == null
                ? List.of()
                : List.of(LongExemplarData.create(
                    Attributes.empty(), latest.epochNanos, spanContext(latest), 1))));
      }
    }
    if (!errors.isEmpty()) {
      metrics.add(new ProducedMetric(
          resource,
          PERSIST_ERRORS,
          SumData.createLongSumData(
              PERSIST_ERRORS.kind().monotonic(), AggregationTemporality.CUMULATIVE, errors)));
    }
    if (queueSize != null) {
      LongPointData size =
          LongPointData.create(startEpochNanos, now, Attributes.empty(), queueSize.getAsLong());
      metrics.add(new ProducedMetric(
          resource,
          QUEUE_SIZE,
          SumData.createLongSumData(
              QUEUE_SIZE.kind().monotonic(),
              AggregationTemporality.CUMULATIVE,
              Collections.singletonList(size))));
    }
    return metrics;
  }

  private HistogramPointData histogramPoint(
      PersistTotals.Totals totals, int outcome, long count, long now) {
    List<Long> counts = new ArrayList<>(totals.bucketCounts[outcome].length);
    for (long bucketCount : totals.bucketCounts[outcome]) {
      counts.add(bucketCount);
    }
    double min = totals.mins[outcome];
    double max = totals.maxes[outcome];
    // A recording seen half-way (its count, not yet its minimum) leaves min/max out of this one
    // collection.
    boolean hasMinMax = !Double.isInfinite(min) && !Double.isInfinite(max);
    return ImmutableHistogramPointData.create(
        startEpochNanos,
        now,
        OUTCOMES[outcome],
        totals.sums[outcome],
        hasMinMax,
        hasMinMax ? min : 0,
        hasMinMax,
        hasMinMax ? max : 0,
        PERSIST_SECONDS.bounds(),
        counts,
        exemplars(totals, outcome));
  }

  /** The outcome's exemplars, in bucket order. */
  private static List<DoubleExemplarData> exemplars(PersistTotals.Totals totals, int outcome) {
    int buckets = totals.bucketCounts[outcome].length;
    List<DoubleExemplarData> exemplars = new ArrayList<>();
    for (int bucket = 0; bucket < buckets; bucket++) {
      Exemplar kept = totals.bucketExemplars[outcome * buckets + bucket];
      if (kept != null) {
        exemplars.add(DoubleExemplarData.create(
            Attributes.empty(), kept.epochNanos, spanContext(kept), kept.seconds));
      }
    }
    return exemplars;
  }

  private static SpanContext spanContext(Exemplar kept) {
    return SpanContext.create(
        kept.span.traceId(), kept.span.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
  }

  /** One metric as the SDK's exporters read it. */
  private static final class ProducedMetric implements MetricData {
    private final Resource resource;
    private final MetricDefinitions.Definition definition;
    private final Data<?> data;

    ProducedMetric(Resource resource, MetricDefinitions.Definition definition, Data<?> data) {
      this.resource = resource;
      this.definition = definition;
      this.data = data;
    }

    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return SCOPE;
    }

    @Override
    public String getName() {
      return definition.name();
    }

    @Override
    public String getDescription() {
      return definition.description();
    }

    @Override
    public String getUnit() {
      return definition.unit();
    }

    @Override
    public MetricDataType getType() {
      return definition.kind().dataType();
    }

    @Override
    public Data<?> getData() {
      return data;
    }
  }

  private static Attributes[] outcomeAttributes() {
    List<String> outcomes = PERSIST_SECONDS.attributeValues();
    Attributes[] attributes = new Attributes[outcomes.size()];
    for (int i = 0; i < attributes.length; i++) {
      attributes[i] = Attributes.of(PERSIST_SECONDS.attributeKey(), outcomes.get(i));
    }
    return attributes;
  }
}
