package dev.usagemetrics.agent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where a cell keeps what it accumulates: one {@code long[]} holding, per outcome, the bucket
 * counts, the sum, minimum and maximum (doubles as their raw bits), then the failures per error
 * type. One array instead of one per value: a recording touches a single object, and the padding
 * at both ends keeps it off the cache lines of whatever the allocator put next to it (cells are
 * written by different threads, which would otherwise slow each other down by false sharing).
 *
 * <p>A cell has one writer at a time ({@link PersistTotals}' owner thread, or the holder of a
 * stripe's lock in {@link VirtualThreadStripes}); it stores with opaque writes, so the collecting
 * thread reads each value whole and recent, without any fence on the recording path.
 */
final class CellLayout {

  /** Longs of padding at each end: two cache lines, as the adjacent-line prefetcher fetches pairs. */
  private static final int PADDING = 16;

  /** The slot {@link VirtualThreadStripes} uses as a stripe's lock; unused in a thread's own cell. */
  static final int LOCK = PADDING;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final long POSITIVE_INFINITY =
      Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
  private static final long NEGATIVE_INFINITY =
      Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY);

  private final int buckets;
  private final int errorTypes;
  private final int bucketCounts = LOCK + 1;
  private final int sums;
  private final int mins;
  private final int maxes;
  private final int errors;
  private final int length;

  /** {@code buckets} per outcome (the bounds plus one), {@code errorTypes} failure counters. */
  CellLayout(int buckets, int errorTypes) {
    this.buckets = buckets;
    this.errorTypes = errorTypes;
    sums = bucketCounts + 2 * buckets;
    mins = sums + 2;
    maxes = mins + 2;
    errors = maxes + 2;
    length = errors + errorTypes + PADDING;
  }

  /** An empty cell. */
  long[] newCell() {
    long[] cell = new long[length];
    for (int outcome = PersistTotals.SUCCESS; outcome <= PersistTotals.ERROR; outcome++) {
      cell[mins + outcome] = POSITIVE_INFINITY;
      cell[maxes + outcome] = NEGATIVE_INFINITY;
    }
    return cell;
  }

  /** By the cell's one writer: records one call; {@code errorType} is -1 for a success. */
  void record(long[] cell, int outcome, int bucket, double seconds, int errorType) {
    int count = bucketCounts + outcome * buckets + bucket;
    LONGS.setOpaque(cell, count, cell[count] + 1);
    int sum = sums + outcome;
    LONGS.setOpaque(
        cell, sum, Double.doubleToRawLongBits(Double.longBitsToDouble(cell[sum]) + seconds));
    if (seconds < Double.longBitsToDouble(cell[mins + outcome])) {
      LONGS.setOpaque(cell, mins + outcome, Double.doubleToRawLongBits(seconds));
    }
    if (seconds > Double.longBitsToDouble(cell[maxes + outcome])) {
      LONGS.setOpaque(cell, maxes + outcome, Double.doubleToRawLongBits(seconds));
    }
    if (errorType >= 0) {
      LONGS.setOpaque(cell, errors + errorType, cell[errors + errorType] + 1);
    }
  }

  /** From any thread: adds what {@code cell} holds, as last written, to {@code total}. */
  void addTo(long[] cell, PersistTotals.Totals total) {
    for (int outcome = PersistTotals.SUCCESS; outcome <= PersistTotals.ERROR; outcome++) {
      for (int bucket = 0; bucket < buckets; bucket++) {
        total.bucketCounts[outcome][bucket] +=
            (long) LONGS.getOpaque(cell, bucketCounts + outcome * buckets + bucket);
      }
      total.sums[outcome] += doubleAt(cell, sums + outcome);
      total.mins[outcome] = Math.min(total.mins[outcome], doubleAt(cell, mins + outcome));
      total.maxes[outcome] = Math.max(total.maxes[outcome], doubleAt(cell, maxes + outcome));
    }
    for (int type = 0; type < errorTypes; type++) {
      total.errors[type] += (long) LONGS.getOpaque(cell, errors + type);
    }
  }

  private static double doubleAt(long[] cell, int index) {
    return Double.longBitsToDouble((long) LONGS.getOpaque(cell, index));
  }
}
