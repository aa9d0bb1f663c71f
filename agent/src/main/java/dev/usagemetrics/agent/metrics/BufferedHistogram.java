package dev.usagemetrics.agent.metrics;

import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * One histogram series' recordings made before the SDK started, kept as the histogram itself
 * keeps them: a count and a sum per bucket, the minimum and the maximum. Memory is fixed however
 * many recordings arrive. Replayed as values that give the SDK's histogram the same count, bucket
 * counts, minimum and maximum, and the same sum (up to floating-point rounding).
 */
final class BufferedHistogram {

  private static final List<Double> BOUNDS = MetricNames.PERSIST_SECONDS_BOUNDS;

  private final long[] counts = new long[BOUNDS.size() + 1];
  private final double[] sums = new double[BOUNDS.size() + 1];
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  void add(double value) {
    int bucket = bucketOf(value);
    counts[bucket]++;
    sums[bucket] += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** Records into {@code histogram} values with this summary's counts, buckets, sum, min and max. */
  void replay(DoubleConsumer histogram) {
    for (int bucket = 0; bucket < counts.length; bucket++) {
      long count = counts[bucket];
      double sum = sums[bucket];
      if (count > 0 && bucketOf(min) == bucket) {
        histogram.accept(min);
        count--;
        sum -= min;
      }
      if (count > 0 && bucketOf(max) == bucket) {
        histogram.accept(max);
        count--;
        sum -= max;
      }
      // The rest at their mean, which lies in the bucket (kept there against rounding) and
      // between min and max.
      double mean = count == 0 ? 0 : clampToBucket(sum / count, bucket);
      for (long i = 0; i < count; i++) {
        histogram.accept(mean);
      }
    }
  }

  /** As the SDK's explicit-bucket histogram assigns: bucket i holds values in (bound[i-1], bound[i]]. */
  private static int bucketOf(double value) {
    for (int i = 0; i < BOUNDS.size(); i++) {
      if (value <= BOUNDS.get(i)) {
        return i;
      }
    }
    return BOUNDS.size();
  }

  private static double clampToBucket(double value, int bucket) {
    double above = bucket == 0 ? Double.NEGATIVE_INFINITY : Math.nextUp(BOUNDS.get(bucket - 1));
    double atMost = bucket == BOUNDS.size() ? Double.POSITIVE_INFINITY : BOUNDS.get(bucket);
    return Math.min(Math.max(value, above), atMost);
  }
}
