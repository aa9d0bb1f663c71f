package dev.usagemetrics.agent.metrics;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The persist outcomes as the histogram and the error counter report them (bucket counts, sum,
 * minimum and maximum per outcome; failures per error type), accumulated per thread and totalled
 * when metrics are collected.
 *
 * <p>Why per thread: a persist call then costs a thread-local lookup and a few plain stores, with
 * no atomic operation and no memory shared between threads, so it costs the same at any number of
 * threads. (The SDK's own synchronous histogram takes several atomic operations per recording on
 * counters shared by all threads.) A platform thread owns its cell; stores are "opaque" so that the
 * collecting thread sees them without any fence on the recording path. Cells whose thread has
 * ended are folded into the retired totals at each collection, and when a new thread registers
 * once the number of cells has doubled (so also when nothing collects): thread churn neither loses
 * counts nor keeps memory, and a cell never keeps its thread alive. Virtual threads, which can number millions, share one synchronized cell
 * instead of getting one each.
 */
final class PersistTotals {

  static final int SUCCESS = 0;
  static final int ERROR = 1;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle DOUBLES = MethodHandles.arrayElementVarHandle(double[].class);
  /** {@code Thread.isVirtual()} where the JVM has it (Java 21+), else null. */
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

  private final double[] bounds;
  private final int errorTypes;
  /** Cells held before a registration first folds ended threads' cells: a handful of threads never pays for it. */
  private static final int MIN_FOLD_AT = 64;

  /** Guarded by this, like {@link #foldAt}: touched once per thread and once per collection. */
  private final List<OwnedCell> liveCells = new ArrayList<>();
  private int foldAt = MIN_FOLD_AT;
  private final SharedCell sharedCell;
  private final Totals retired;
  private final ThreadLocal<Cell> cells = ThreadLocal.withInitial(this::cellForCurrentThread);

  /** {@code bounds}: the histogram's upper bucket bounds in seconds, ascending; {@code errorTypes}: how many error types. */
  PersistTotals(List<Double> bounds, int errorTypes) {
    this.bounds = bounds.stream().mapToDouble(Double::doubleValue).toArray();
    this.errorTypes = errorTypes;
    this.sharedCell = new SharedCell(this.bounds.length, errorTypes);
    this.retired = new Totals(this.bounds.length, errorTypes);
  }

  void recordSuccess(double seconds) {
    cells.get().add(SUCCESS, bucketOf(seconds), seconds, -1);
  }

  void recordFailure(double seconds, int errorType) {
    cells.get().add(ERROR, bucketOf(seconds), seconds, errorType);
  }

  /** Everything recorded so far, by threads alive or ended. */
  synchronized Totals total() {
    foldEnded();
    Totals total = new Totals(bounds.length, errorTypes);
    for (OwnedCell cell : liveCells) {
      cell.addTo(total);
    }
    retired.addTo(total);
    sharedCell.addTo(total);
    return total;
  }

  /** Cells not yet folded, for tests. */
  synchronized int liveCellCount() {
    return liveCells.size();
  }

  /** Guarded by this. */
  private void foldEnded() {
    liveCells.removeIf(cell -> {
      if (!cell.ownerEnded()) {
        return false;
      }
      // The thread's end happens-before its end is seen: its last stores are visible.
      cell.addTo(retired);
      return true;
    });
  }

  /** As the SDK's explicit-bucket histogram assigns: bucket i holds values in (bound[i-1], bound[i]]. */
  private int bucketOf(double seconds) {
    int bucket = 0;
    while (bucket < bounds.length && seconds > bounds[bucket]) {
      bucket++;
    }
    return bucket;
  }

  private Cell cellForCurrentThread() {
    Thread current = Thread.currentThread();
    if (isVirtual(current)) {
      return sharedCell;
    }
    return register(current);
  }

  private synchronized OwnedCell register(Thread owner) {
    if (liveCells.size() >= foldAt) {
      foldEnded();
      foldAt = Math.max(MIN_FOLD_AT, 2 * liveCells.size());
    }
    OwnedCell cell = new OwnedCell(owner, bounds.length, errorTypes);
    liveCells.add(cell);
    return cell;
  }

  private static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable unexpected) {
      return false;
    }
  }

  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (ReflectiveOperationException beforeJava21) {
      return null;
    }
  }

  /** Totals of some recordings: per outcome, bucket counts, sum, minimum, maximum; failures per error type. */
  static final class Totals {
    final long[][] bucketCounts;
    final double[] sums = new double[2];
    final double[] mins = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    final double[] maxes = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    final long[] errors;

    Totals(int bounds, int errorTypes) {
      bucketCounts = new long[][] {new long[bounds + 1], new long[bounds + 1]};
      errors = new long[errorTypes];
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

  private abstract static class Cell {
    /** Records one call; {@code errorType} is -1 for a success. */
    abstract void add(int outcome, int bucket, double seconds, int errorType);

    abstract void addTo(Totals total);
  }

  /** Written only by its owner thread, with opaque stores; read by the collecting thread. */
  private static final class OwnedCell extends Cell {
    /** Weak: the agent never keeps a thread (or the class loader it references) alive. */
    private final WeakReference<Thread> owner;
    private final long[] successBuckets;
    private final long[] errorBuckets;
    private final double[] sums = new double[2];
    private final double[] mins = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    private final double[] maxes = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private final long[] errors;

    OwnedCell(Thread owner, int bounds, int errorTypes) {
      this.owner = new WeakReference<>(owner);
      successBuckets = new long[bounds + 1];
      errorBuckets = new long[bounds + 1];
      errors = new long[errorTypes];
    }

    /** True once the owner has ended (a cleared reference: it ended and was collected). */
    boolean ownerEnded() {
      Thread thread = owner.get();
      return thread == null || !thread.isAlive();
    }

    @Override
    void add(int outcome, int bucket, double seconds, int errorType) {
      long[] buckets = outcome == SUCCESS ? successBuckets : errorBuckets;
      LONGS.setOpaque(buckets, bucket, buckets[bucket] + 1);
      DOUBLES.setOpaque(sums, outcome, sums[outcome] + seconds);
      if (seconds < mins[outcome]) {
        DOUBLES.setOpaque(mins, outcome, seconds);
      }
      if (seconds > maxes[outcome]) {
        DOUBLES.setOpaque(maxes, outcome, seconds);
      }
      if (errorType >= 0) {
        LONGS.setOpaque(errors, errorType, errors[errorType] + 1);
      }
    }

    @Override
    void addTo(Totals total) {
      for (int bucket = 0; bucket < successBuckets.length; bucket++) {
        total.bucketCounts[SUCCESS][bucket] += (long) LONGS.getOpaque(successBuckets, bucket);
        total.bucketCounts[ERROR][bucket] += (long) LONGS.getOpaque(errorBuckets, bucket);
      }
      for (int outcome = SUCCESS; outcome <= ERROR; outcome++) {
        total.sums[outcome] += (double) DOUBLES.getOpaque(sums, outcome);
        total.mins[outcome] = Math.min(total.mins[outcome], (double) DOUBLES.getOpaque(mins, outcome));
        total.maxes[outcome] = Math.max(total.maxes[outcome], (double) DOUBLES.getOpaque(maxes, outcome));
      }
      for (int type = 0; type < errors.length; type++) {
        total.errors[type] += (long) LONGS.getOpaque(errors, type);
      }
    }
  }

  /** One cell for all virtual threads: each recording takes its lock. */
  private static final class SharedCell extends Cell {
    private final Totals totals;

    SharedCell(int bounds, int errorTypes) {
      totals = new Totals(bounds, errorTypes);
    }

    @Override
    synchronized void add(int outcome, int bucket, double seconds, int errorType) {
      totals.bucketCounts[outcome][bucket]++;
      totals.sums[outcome] += seconds;
      totals.mins[outcome] = Math.min(totals.mins[outcome], seconds);
      totals.maxes[outcome] = Math.max(totals.maxes[outcome], seconds);
      if (errorType >= 0) {
        totals.errors[errorType]++;
      }
    }

    @Override
    synchronized void addTo(Totals total) {
      totals.addTo(total);
    }
  }
}
