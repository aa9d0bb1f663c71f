package dev.usagemetrics.agent.export;

import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the agent's cumulative totals into deltas against what the collector has acknowledged,
 * for exporters that ask for delta temporality.
 *
 * <p>The agent keeps totals, not per-interval counts (recording must stay cheap; see
 * {@code PersistTotals}), so a delta is the difference between the totals now and the totals of
 * the last point of the series that was delivered. A delta whose export fails is therefore in
 * the next one, and one that was delivered never again: the deltas a collector receives add up to
 * the totals, whatever it refused. A series whose delta is still unanswered is left out of an
 * export that starts meanwhile, so no two exports carry the same calls (the exporter first waits
 * for that answer; see {@link DeliveryTrackingExporter}). Each delta point starts where the series' last delivered
 * point ended (the first at the totals' start), and empty deltas are not sent.
 *
 * <p>Histogram minimum and maximum: a delta has them where the totals tell. The maximum of the
 * calls since the last delivered point is the total maximum when that grew, and unknown (left
 * out) when it did not; likewise the minimum.
 *
 * <p>Expects what it is given to be the agent's own metrics, cumulative: explicit-bucket
 * histograms and long sums whose totals only grow (the queue size, an up/down counter, stays
 * cumulative under every standard temporality preference). Thread-safe.
 */
final class DeliveredTotals {

  /** Per series ({@code [metric name, attributes]}): the cumulative point last delivered. */
  private final Map<List<Object>, PointData> delivered = new HashMap<>();
  /** Series an export is under way for. */
  private final Set<List<Object>> inFlight = new HashSet<>();

  /** What one export sends, and what it delivers if it succeeds. */
  static final class Export {
    private final List<MetricData> metrics;
    private final Map<List<Object>, PointData> delivers;

    private Export(List<MetricData> metrics, Map<List<Object>, PointData> delivers) {
      this.metrics = metrics;
      this.delivers = delivers;
    }

    /** The metrics to send: cumulative ones as they are, deltas where asked for. */
    List<MetricData> metrics() {
      return metrics;
    }
  }

  /**
   * The metrics to send for {@code cumulative}, each in the temporality {@code selector} gives its
   * instrument type. Call {@link #settle} with the outcome once the export is over.
   */
  synchronized Export prepare(
      Collection<MetricData> cumulative, AggregationTemporalitySelector selector) {
    List<MetricData> metrics = new ArrayList<>(cumulative.size());
    Map<List<Object>, PointData> delivers = new HashMap<>();
    for (MetricData metric : cumulative) {
      if (selector.getAggregationTemporality(instrumentType(metric))
          == AggregationTemporality.CUMULATIVE) {
        metrics.add(metric);
        continue;
      }
      MetricData delta = delta(metric, delivers);
      if (delta != null) {
        metrics.add(delta);
      }
    }
    inFlight.addAll(delivers.keySet());
    return new Export(metrics, delivers);
  }

  /** Whether an export carrying deltas is still unanswered. */
  synchronized boolean anyInFlight() {
    return !inFlight.isEmpty();
  }

  /** Ends an export: what it carried is delivered if it succeeded, and due again if it did not. */
  synchronized void settle(Export export, boolean succeeded) {
    inFlight.removeAll(export.delivers.keySet());
    if (succeeded) {
      delivered.putAll(export.delivers);
    }
  }

  private static InstrumentType instrumentType(MetricData metric) {
    switch (metric.getType()) {
      case HISTOGRAM:
        return InstrumentType.HISTOGRAM;
      case LONG_SUM:
        return metric.getLongSumData().isMonotonic()
            ? InstrumentType.COUNTER
            : InstrumentType.UP_DOWN_COUNTER;
      default:
        throw new IllegalArgumentException(
            "the agent produces no " + metric.getType() + ": " + metric.getName());
    }
  }

  /** The metric's deltas since delivery, recording what each delivers; null when there is none to send. */
  private MetricData delta(MetricData metric, Map<List<Object>, PointData> delivers) {
    if (metric.getType() == MetricDataType.HISTOGRAM) {
      List<HistogramPointData> points = new ArrayList<>();
      for (HistogramPointData total : metric.getHistogramData().getPoints()) {
        List<Object> series = List.of(metric.getName(), total.getAttributes());
        HistogramPointData delta = inFlight.contains(series)
            ? null
            : histogramDelta(total, (HistogramPointData) delivered.get(series));
        if (delta != null) {
          points.add(delta);
          delivers.put(series, total);
        }
      }
      return points.isEmpty()
          ? null
          : ReplacedMetric.withData(
              metric, HistogramData.create(AggregationTemporality.DELTA, points));
    }
    List<LongPointData> points = new ArrayList<>();
    for (LongPointData total : metric.getLongSumData().getPoints()) {
      List<Object> series = List.of(metric.getName(), total.getAttributes());
      LongPointData since = (LongPointData) delivered.get(series);
      long value = total.getValue() - (since == null ? 0 : since.getValue());
      if (!inFlight.contains(series) && value != 0) {
        points.add(ImmutableLongPointData.create(
            startOf(total, since),
            total.getEpochNanos(),
            total.getAttributes(),
            value,
            total.getExemplars()));
        delivers.put(series, total);
      }
    }
    return points.isEmpty()
        ? null
        : ReplacedMetric.withData(
            metric,
            SumData.createLongSumData(
                metric.getLongSumData().isMonotonic(), AggregationTemporality.DELTA, points));
  }

  /** {@code total} minus {@code since} (null: nothing delivered yet); null when no call was recorded in between. */
  static HistogramPointData histogramDelta(HistogramPointData total, HistogramPointData since) {
    if (since == null) {
      return total.getCount() == 0 ? null : total;
    }
    long count = total.getCount() - since.getCount();
    if (count == 0) {
      return null;
    }
    List<Long> counts = new ArrayList<>(total.getCounts().size());
    for (int bucket = 0; bucket < total.getCounts().size(); bucket++) {
      counts.add(total.getCounts().get(bucket) - since.getCounts().get(bucket));
    }
    boolean hasMin = total.hasMin() && since.hasMin() && total.getMin() < since.getMin();
    boolean hasMax = total.hasMax() && since.hasMax() && total.getMax() > since.getMax();
    // The exemplars are the last interval's already: they belong to the delta as they are.
    return ImmutableHistogramPointData.create(
        startOf(total, since),
        total.getEpochNanos(),
        total.getAttributes(),
        total.getSum() - since.getSum(),
        hasMin,
        hasMin ? total.getMin() : 0,
        hasMax,
        hasMax ? total.getMax() : 0,
        total.getBoundaries(),
        counts,
        total.getExemplars());
  }

  /** A delta starts where the last delivered point of its series ended; the first where the totals start. */
  private static long startOf(PointData total, PointData since) {
    return since == null ? total.getStartEpochNanos() : since.getEpochNanos();
  }
}
