package dev.usagemetrics.agent.metrics;

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
 * Hands the three instruments to the OpenTelemetry SDK at each collection, as cumulative data the
 * SDK's readers export like their own: {@code llm_usage_persist_seconds} (histogram per outcome),
 * {@code llm_usage_persist_errors_total} (monotonic sum per error type) and
 * {@code llm_usage_persist_queue_size} (non-monotonic sum, no attributes). A series appears once
 * something was recorded in it, as with the SDK's own instruments; the queue size, once a queue
 * is configured. Points carry the exemplars kept since the last collection (see {@link ExemplarSlots}).
 */
final class UsageMetricProducer implements MetricProducer {

  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create(MetricNames.METER_NAME);
  private static final Attributes[] OUTCOMES = {
    Attributes.of(MetricNames.OUTCOME, MetricNames.SUCCESS), Attributes.of(MetricNames.OUTCOME, MetricNames.ERROR)
  };

  private final PersistTotals persistTotals;
  private final List<Attributes> errorTypeAttributes = new ArrayList<>();
  private final LongSupplier queueSize;
  private final Clock clock = Clock.getDefault();
  private final long startEpochNanos = clock.now();

  /** {@code errorTypes} in the order of {@code persistTotals}' error type indexes; {@code queueSize} null when no queue is configured. */
  UsageMetricProducer(PersistTotals persistTotals, List<String> errorTypes, LongSupplier queueSize) {
    this.persistTotals = persistTotals;
    errorTypes.forEach(type -> errorTypeAttributes.add(Attributes.of(MetricNames.ERROR_TYPE, type)));
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
      metrics.add(new ProducedMetric(resource, MetricNames.PERSIST_SECONDS, "Usage record persistence latency", "s",
          MetricDataType.HISTOGRAM, HistogramData.create(AggregationTemporality.CUMULATIVE, durations)));
    }
    List<LongPointData> errors = new ArrayList<>();
    for (int type = 0; type < totals.errors.length; type++) {
      if (totals.errors[type] > 0) {
        Exemplar latest = totals.errorExemplars[type];
        errors.add(ImmutableLongPointData.create(
            startEpochNanos, now, errorTypeAttributes.get(type), totals.errors[type],
            latest == null ? List.of() : List.of(LongExemplarData.create(Attributes.empty(), latest.epochNanos,
                spanContext(latest), 1))));
      }
    }
    if (!errors.isEmpty()) {
      metrics.add(new ProducedMetric(resource, MetricNames.PERSIST_ERRORS, "Usage persistence failures", "",
          MetricDataType.LONG_SUM, SumData.createLongSumData(true, AggregationTemporality.CUMULATIVE, errors)));
    }
    if (queueSize != null) {
      LongPointData size = LongPointData.create(startEpochNanos, now, Attributes.empty(), queueSize.getAsLong());
      metrics.add(new ProducedMetric(resource, MetricNames.QUEUE_SIZE, "Pending usage records waiting to be persisted", "",
          MetricDataType.LONG_SUM, SumData.createLongSumData(false, AggregationTemporality.CUMULATIVE, Collections.singletonList(size))));
    }
    return metrics;
  }

  private HistogramPointData histogramPoint(PersistTotals.Totals totals, int outcome, long count, long now) {
    List<Long> counts = new ArrayList<>(totals.bucketCounts[outcome].length);
    for (long bucketCount : totals.bucketCounts[outcome]) {
      counts.add(bucketCount);
    }
    double min = totals.mins[outcome];
    double max = totals.maxes[outcome];
    // A recording seen half-way (its count, not yet its minimum) leaves min/max out of this one collection.
    boolean hasMinMax = !Double.isInfinite(min) && !Double.isInfinite(max);
    return ImmutableHistogramPointData.create(startEpochNanos, now, OUTCOMES[outcome], totals.sums[outcome],
        hasMinMax, hasMinMax ? min : 0, hasMinMax, hasMinMax ? max : 0, MetricNames.PERSIST_SECONDS_BOUNDS, counts,
        exemplars(totals, outcome));
  }

  /** The outcome's exemplars, in bucket order. */
  private static List<DoubleExemplarData> exemplars(PersistTotals.Totals totals, int outcome) {
    int buckets = totals.bucketCounts[outcome].length;
    List<DoubleExemplarData> exemplars = new ArrayList<>();
    for (int bucket = 0; bucket < buckets; bucket++) {
      Exemplar kept = totals.bucketExemplars[outcome * buckets + bucket];
      if (kept != null) {
        exemplars.add(DoubleExemplarData.create(Attributes.empty(), kept.epochNanos, spanContext(kept), kept.seconds));
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
    private final String name;
    private final String description;
    private final String unit;
    private final MetricDataType type;
    private final Data<?> data;

    ProducedMetric(Resource resource, String name, String description, String unit, MetricDataType type, Data<?> data) {
      this.resource = resource;
      this.name = name;
      this.description = description;
      this.unit = unit;
      this.type = type;
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
      return name;
    }

    @Override
    public String getDescription() {
      return description;
    }

    @Override
    public String getUnit() {
      return unit;
    }

    @Override
    public MetricDataType getType() {
      return type;
    }

    @Override
    public Data<?> getData() {
      return data;
    }
  }
}
