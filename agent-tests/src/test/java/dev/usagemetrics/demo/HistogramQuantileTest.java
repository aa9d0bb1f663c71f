package dev.usagemetrics.demo;

import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS_BOUNDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quantiles as Prometheus' histogram_quantile estimates them, over the agent's buckets. */
class HistogramQuantileTest {

  private static final List<Double> BOUNDS = PERSIST_SECONDS_BOUNDS;

  @Test
  void interpolatesLinearlyWithinTheBucketHoldingTheRank() {
    // 4 values in (1ms, 5ms]: the median is rank 2 of 4, halfway through that bucket.
    QuantileEstimate median = estimate(0.5, 0, 4, 0, 0, 0, 0, 0, 0);
    assertEquals(QuantileEstimate.Kind.INTERPOLATED, median.kind());
    assertEquals(0.003, median.seconds(), 1e-12);
    assertEquals("3ms", median.format());

    // 10 values: 2 in (1ms, 5ms], 8 in (10ms, 50ms]; p50 is rank 5, 3 of 8 into the second.
    assertEquals(0.01 + 0.04 * 3 / 8, estimate(0.5, 0, 2, 0, 8, 0, 0, 0, 0).seconds(), 1e-12);
    // p99 is rank 9.9, 7.9 of 8 into it
    assertEquals(0.01 + 0.04 * 7.9 / 8, estimate(0.99, 0, 2, 0, 8, 0, 0, 0, 0).seconds(), 1e-12);
  }

  @Test
  void saysAtMostTheFirstBoundWhenTheRankIsInTheFirstBucket() {
    QuantileEstimate estimate = estimate(0.5, 3, 1, 0, 0, 0, 0, 0, 0);
    assertEquals(QuantileEstimate.Kind.AT_MOST, estimate.kind());
    assertEquals(0.001, estimate.seconds());
    assertEquals("<= 1ms", estimate.format());
  }

  @Test
  void saysAboveTheLastBoundWhenTheRankIsInTheOverflowBucket() {
    QuantileEstimate estimate = estimate(0.99, 0, 0, 0, 0, 0, 0, 98, 2);
    assertEquals(QuantileEstimate.Kind.ABOVE, estimate.kind());
    assertEquals(1.0, estimate.seconds());
    assertEquals(">1s", estimate.format());
    // rank 99 of 100 is the last value below 1s: still interpolated, at the bound
    assertEquals("1s", estimate(0.98, 0, 0, 0, 0, 0, 0, 98, 2).format());
  }

  @Test
  void skipsEmptyBuckets() {
    // rank 1 of 2 is the value in (5ms, 10ms], rank 2 the one in (500ms, 1s]
    assertEquals(0.01, estimate(0.5, 0, 0, 1, 0, 0, 0, 1, 0).seconds(), 1e-12);
    assertEquals(1.0, estimate(1.0, 0, 0, 1, 0, 0, 0, 1, 0).seconds(), 1e-12);
  }

  @Test
  void hasNoEstimateWithoutData() {
    QuantileEstimate estimate = estimate(0.5, 0, 0, 0, 0, 0, 0, 0, 0);
    assertEquals(QuantileEstimate.Kind.NO_DATA, estimate.kind());
    assertEquals("-", estimate.format());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> estimate(1.5, 1, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(
        IllegalArgumentException.class, () -> estimate(Double.NaN, 1, 0, 0, 0, 0, 0, 0, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> HistogramQuantile.estimate(0.5, BOUNDS, List.of(1L, 2L)));
  }

  @Test
  void formatsDurationsCompactly() {
    assertEquals("0.5ms", QuantileEstimate.formatSeconds(0.0005));
    assertEquals("3.2ms", QuantileEstimate.formatSeconds(0.00321));
    assertEquals("47ms", QuantileEstimate.formatSeconds(0.0472));
    assertEquals("500ms", QuantileEstimate.formatSeconds(0.5));
    assertEquals("1.5s", QuantileEstimate.formatSeconds(1.5));
    assertEquals("12s", QuantileEstimate.formatSeconds(12.3));
  }

  private static QuantileEstimate estimate(double quantile, long... bucketCounts) {
    return HistogramQuantile.estimate(
        quantile, BOUNDS, Arrays.stream(bucketCounts).boxed().toList());
  }
}
