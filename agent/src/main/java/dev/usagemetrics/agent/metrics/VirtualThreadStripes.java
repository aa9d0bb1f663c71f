package dev.usagemetrics.agent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Where virtual threads record: a fixed set of cells ("stripes"), several per carrier thread, each
 * guarded by a lock of its own that is only ever tried, never waited for.
 *
 * <p>Virtual threads can number millions and end at any time, so they get no cell each (that would
 * cost memory per thread and a registration per thread); the stripes are their cells. A virtual
 * thread starts at the stripe its id hashes to and takes its lock with one compare-and-set; should
 * another carrier hold it at that moment, it moves to the next stripe instead of waiting. There is
 * no lock or cache line that all virtual threads share: two of them meet on a stripe only when they
 * run at the same moment on different carriers and their ids hash alike, and then only for that
 * call. Nothing inside the lock blocks, so a virtual thread never unmounts holding one. Stripes
 * belong to no thread: counts stay exact whenever threads end, and memory stays the same however
 * many threads there are (stripes are made when first used).
 *
 * <p>See {@code docs/virtual-threads.md} for how this behaves at 32 and 128 carriers.
 */
final class VirtualThreadStripes {

  /** Stripes per carrier: two virtual threads running at the same moment rarely hash alike. */
  private static final int STRIPES_PER_CARRIER = 8;

  private static final int MIN_STRIPES = 32;
  private static final int MAX_STRIPES = 1024;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle STRIPES = MethodHandles.arrayElementVarHandle(long[][].class);

  private final CellLayout layout;
  private final long[][] stripes;
  private final int mask;

  /** Stripes for {@code carriers} carrier threads (at least {@link #MIN_STRIPES}, a power of two). */
  VirtualThreadStripes(CellLayout layout, int carriers) {
    this.layout = layout;
    int wanted = Math.min(MAX_STRIPES, Math.max(MIN_STRIPES, carriers * STRIPES_PER_CARRIER));
    int count = Integer.highestOneBit(wanted - 1) << 1;
    stripes = new long[count][];
    mask = count - 1;
  }

  /** The carrier threads of the JVM's virtual thread scheduler: its parallelism. */
  static int carriers() {
    int processors = Runtime.getRuntime().availableProcessors();
    try {
      return Math.max(
          processors, Integer.getInteger("jdk.virtualThreadScheduler.parallelism", processors));
    } catch (SecurityException unreadable) {
      return processors;
    }
  }

  /** Records one call of the virtual thread {@code thread} (the calling thread). */
  void record(Thread thread, int outcome, int bucket, double seconds, int errorType) {
    int index = firstStripe(thread.getId());
    for (int tried = 1; ; tried++) {
      long[] stripe = stripe(index);
      if (LONGS.compareAndSet(stripe, CellLayout.LOCK, 0L, 1L)) {
        try {
          layout.record(stripe, outcome, bucket, seconds, errorType);
        } finally {
          LONGS.setRelease(stripe, CellLayout.LOCK, 0L);
        }
        return;
      }
      index = (index + 1) & mask;
      if (tried % stripes.length == 0) {
        // Every stripe was busy: only possible if virtual threads holding one could be descheduled.
        Thread.onSpinWait();
      }
    }
  }

  /** Adds every stripe's values, as last written, to {@code total}. */
  void addTo(PersistTotals.Totals total) {
    for (int index = 0; index < stripes.length; index++) {
      long[] stripe = (long[]) STRIPES.getAcquire(stripes, index);
      if (stripe != null) {
        layout.addTo(stripe, total);
      }
    }
  }

  /** Stripes made so far, for tests. */
  int stripesInUse() {
    int inUse = 0;
    for (int index = 0; index < stripes.length; index++) {
      if (STRIPES.getAcquire(stripes, index) != null) {
        inUse++;
      }
    }
    return inUse;
  }

  int stripeCount() {
    return stripes.length;
  }

  /** Fibonacci hashing: consecutive thread ids land far apart. */
  private int firstStripe(long threadId) {
    return (int) ((threadId * 0x9E3779B97F4A7C15L) >>> 40) & mask;
  }

  private long[] stripe(int index) {
    long[] stripe = (long[]) STRIPES.getAcquire(stripes, index);
    if (stripe == null) {
      long[] made = layout.newCell();
      Object already = STRIPES.compareAndExchangeRelease(stripes, index, null, made);
      stripe = already == null ? made : (long[]) already;
    }
    return stripe;
  }
}
