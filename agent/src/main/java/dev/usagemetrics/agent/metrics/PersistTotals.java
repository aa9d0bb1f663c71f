package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.bootstrap.ThreadCell;
import dev.usagemetrics.agent.bootstrap.ThreadCells;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import java.util.List;

/**
 * The persist outcomes as the histogram and the error counter report them (bucket counts, sum,
 * minimum and maximum per outcome; failures per error type), accumulated where recording costs
 * least and totalled when metrics are collected.
 *
 * <p>A platform thread records into a cell of its own ({@link ThreadCells}: found by the thread's
 * id, written with a few plain stores, folded into the ended threads' totals once the thread has
 * ended), so a call costs the same at any number of threads. (The SDK's own synchronous histogram
 * takes several atomic operations per recording on counters shared by all threads.)
 *
 * <p>Virtual threads, which can number millions, record into {@link VirtualThreadStripes}: a fixed
 * set of cells, several per carrier, each taken with one compare-and-set.
 */
final class PersistTotals extends ThreadCells<PersistTotals.Cell> {

  static final int SUCCESS = 0;
  static final int ERROR = 1;

  private final double[] bounds;
  private final int errorTypes;
  private final CellLayout layout;
  /** Guarded by this. */
  private final Totals endedThreads;

  private final VirtualThreadStripes virtualThreads;
  /** Null when exemplars are off. */
  private final ExemplarSampler exemplars;
  /** The exemplars of all virtual threads together; null when exemplars are off. */
  private final ExemplarSlots virtualThreadExemplars;

  /**
   * {@code bounds}: the histogram's upper bucket bounds in seconds, ascending; {@code errorTypes}:
   * how many error types.
   */
  PersistTotals(List<Double> bounds, int errorTypes) {
    this(bounds, errorTypes, null);
  }

  /** As above, keeping exemplars with {@code exemplars} (null: none). */
  PersistTotals(List<Double> bounds, int errorTypes, ExemplarSampler exemplars) {
    super(Cell.class);
    this.bounds = new double[bounds.size()];
    for (int i = 0; i < this.bounds.length; i++) {
      this.bounds[i] = bounds.get(i);
    }
    this.errorTypes = errorTypes;
    this.layout = new CellLayout(this.bounds.length + 1, errorTypes);
    this.endedThreads = new Totals(this.bounds.length, errorTypes);
    this.virtualThreads = new VirtualThreadStripes(layout, VirtualThreadStripes.carriers());
    this.exemplars = exemplars;
    this.virtualThreadExemplars = newExemplarSlots();
  }

  /** {@code caller}: the class whose method was called; its view of the tracing API tells the span (null: unknown). */
  void recordSuccess(double seconds, Class<?> caller) {
    record(SUCCESS, seconds, -1, caller);
  }

  void recordFailure(double seconds, int errorType, Class<?> caller) {
    record(ERROR, seconds, errorType, caller);
  }

  private void record(int outcome, double seconds, int errorType, Class<?> caller) {
    int bucket = bucketOf(seconds);
    Thread current = Thread.currentThread();
    ExemplarSlots slots;
    if (UsageMetricsBridge.isVirtual(current)) {
      virtualThreads.record(current, outcome, bucket, seconds, errorType);
      slots = virtualThreadExemplars;
    } else {
      Cell cell = currentCell();
      layout.record(cell.values, outcome, bucket, seconds, errorType);
      slots = cell.exemplars;
    }
    if (slots != null) {
      slots.offer(outcome, bucket, seconds, errorType, caller);
    }
  }

  /**
   * Everything recorded so far, by threads alive or ended, with the exemplars kept since the last
   * collection (which this one ends).
   */
  synchronized Totals total() {
    Totals total = new Totals(bounds.length, errorTypes);
    if (exemplars != null) {
      long interval = exemplars.closeInterval();
      for (Cell cell : cells()) {
        cell.exemplars.addTo(interval, total);
      }
      virtualThreadExemplars.addTo(interval, total);
    }
    foldEnded();
    for (Cell cell : cells()) {
      layout.addTo(cell.values, total);
    }
    endedThreads.addTo(total);
    virtualThreads.addTo(total);
    return total;
  }

  /** The stripes virtual threads record into, for tests. */
  VirtualThreadStripes virtualThreadStripes() {
    return virtualThreads;
  }

  /** Only platform threads ask: virtual threads record into the stripes. */
  @Override
  protected Cell newCell(Thread owner) {
    return new Cell(owner, layout.newCell(), newExemplarSlots());
  }

  @Override
  protected void fold(Cell ended) {
    layout.addTo(ended.values, endedThreads);
  }

  /** As the SDK's explicit-bucket histogram assigns: bucket i holds values in (bound[i-1], bound[i]]. */
  private int bucketOf(double seconds) {
    int bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]) {
      bucket++;
    }
    return bucket;
  }

  private ExemplarSlots newExemplarSlots() {
    return exemplars == null ? null : new ExemplarSlots(exemplars, bounds.length + 1, errorTypes);
  }

  /**
   * Totals of some recordings: per outcome, bucket counts, sum, minimum, maximum; failures per error
   * type; and the exemplars of the last interval (see {@link ExemplarSlots}), null where none.
   */
  static final class Totals {
    final long[][] bucketCounts;
    final double[] sums = new double[2];
    final double[] mins = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    final double[] maxes = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    final long[] errors;
    /** Per outcome, per bucket: {@code [outcome * (bounds + 1) + bucket]}. */
    final Exemplar[] bucketExemplars;

    final Exemplar[] errorExemplars;

    Totals(int bounds, int errorTypes) {
      bucketCounts = new long[][] {new long[bounds + 1], new long[bounds + 1]};
      errors = new long[errorTypes];
      bucketExemplars = new Exemplar[2 * (bounds + 1)];
      errorExemplars = new Exemplar[errorTypes];
    }

    long count(int outcome) {
      long count = 0;
      for (long bucket : bucketCounts[outcome]) {
        count += bucket;
      }
      return count;
    }

    void addTo(Totals total) {
      for (int outcome = SUCCESS; outcome <= ERROR; outcome++) {
        for (int bucket = 0; bucket < bucketCounts[outcome].length; bucket++) {
          total.bucketCounts[outcome][bucket] += bucketCounts[outcome][bucket];
        }
        total.sums[outcome] += sums[outcome];
        total.mins[outcome] = Math.min(total.mins[outcome], mins[outcome]);
        total.maxes[outcome] = Math.max(total.maxes[outcome], maxes[outcome]);
      }
      for (int type = 0; type < errors.length; type++) {
        total.errors[type] += errors[type];
      }
    }
  }

  /** A platform thread's cell: written only by its owner (see {@link CellLayout}), read by the collecting thread. */
  static final class Cell extends ThreadCell {
    final long[] values;
    /** Null when exemplars are off. */
    final ExemplarSlots exemplars;

    Cell(Thread owner, long[] values, ExemplarSlots exemplars) {
      super(owner);
      this.values = values;
      this.exemplars = exemplars;
    }
  }
}
