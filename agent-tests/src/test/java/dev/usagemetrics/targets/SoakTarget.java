package dev.usagemetrics.targets;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.SQLException;

/**
 * A purpose-built soak: {@code CALLS} persist calls in one JVM, a new exception for every failure
 * ({@link SyntheticFailures}). Measures the heap in use after full collections once at
 * {@code CHECKPOINT} calls and again at the end, and prints {@code SOAK ...} with its counts and
 * both heap figures, then one {@code THREAD daemon=.. name=..} line per live thread.
 */
public final class SoakTarget {

  /** The configured persist target: as cheap as a method can be. */
  public static class Ledger {
    public void persist(int outcome) throws SQLException {
      SyntheticFailures.produce(outcome);
    }
  }

  private SoakTarget() {}

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(args[0]);
    long checkpoint = Long.parseLong(args[1]);
    Ledger ledger = new Ledger();
    OutcomeTally tally = new OutcomeTally();
    long heapAtCheckpoint = 0;
    for (long i = 0; i < calls; i++) {
      try {
        ledger.persist(SyntheticFailures.outcomeOf(i));
        tally.count(SyntheticFailures.SUCCESS);
      } catch (SQLException | IllegalArgumentException failure) {
        tally.count(SyntheticFailures.outcomeOfFailure(failure));
      }
      if (i + 1 == checkpoint) {
        heapAtCheckpoint = heapUsedAfterCollection();
      }
    }
    long heapAtEnd = heapUsedAfterCollection();
    System.out.println("SOAK calls=" + tally.calls() + " " + tally + " heap_at_checkpoint="
        + heapAtCheckpoint + " heap_at_end=" + heapAtEnd);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      System.out.println("THREAD daemon=" + thread.isDaemon() + " name=" + thread.getName());
    }
  }

  /** Heap in use once garbage is gone: a few full collections, until the figure settles. */
  private static long heapUsedAfterCollection() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      System.gc();
      Thread.sleep(50);
      long now = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - now) < 64 * 1024) {
        return now;
      }
      used = now;
    }
    return used;
  }
}
