package dev.usagemetrics.demo;

import java.util.List;

/**
 * Estimates a quantile from explicit-bucket histogram counts the way Prometheus'
 * {@code histogram_quantile} does: find the bucket holding the rank, then interpolate linearly
 * between its bounds. Bucket {@code i} holds values in {@code (bounds[i-1], bounds[i]]}; the last
 * bucket is the overflow above the last bound.
 */
public final class HistogramQuantile {

  private HistogramQuantile() {}

  /**
   * @param quantile in [0, 1], e.g. 0.99
   * @param explicitBounds bucket upper bounds, ascending
   * @param bucketCounts per-bucket (not cumulative) counts, one more than the bounds
   */
  public static QuantileEstimate estimate(
      double quantile, List<Double> explicitBounds, List<Long> bucketCounts) {
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + quantile);
    }
    if (bucketCounts.size() != explicitBounds.size() + 1) {
      throw new IllegalArgumentException(
          bucketCounts.size() + " bucket counts do not fit " + explicitBounds.size() + " bounds");
    }
    long total = bucketCounts.stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return QuantileEstimate.NO_DATA;
    }
    double rank = quantile * total;
    long below = 0;
    int bucket = 0;
    while (below + bucketCounts.get(bucket) < rank) {
      below += bucketCounts.get(bucket);
      bucket++;
    }
    if (bucket == explicitBounds.size()) {
      return new QuantileEstimate(QuantileEstimate.Kind.ABOVE, explicitBounds.get(bucket - 1));
    }
    double upper = explicitBounds.get(bucket);
    if (bucket == 0) {
      return new QuantileEstimate(QuantileEstimate.Kind.AT_MOST, upper);
    }
    double lower = explicitBounds.get(bucket - 1);
    double fraction = (rank - below) / bucketCounts.get(bucket);
    return new QuantileEstimate(
        QuantileEstimate.Kind.INTERPOLATED, lower + (upper - lower) * fraction);
  }
}
