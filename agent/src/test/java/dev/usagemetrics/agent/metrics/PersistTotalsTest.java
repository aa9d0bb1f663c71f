package dev.usagemetrics.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistTotalsTest {

  private static final List<Double> BOUNDS = List.of(0.001, 0.01);

  @Test
  void bucketsHoldValuesUpToAndIncludingTheirBound() {
    PersistTotals totals = new PersistTotals(BOUNDS, 1);
    for (double seconds : new double[] {0.0005, 0.001, 0.0010001, 0.01, 0.5}) {
      totals.recordSuccess(seconds, null);
    }
    PersistTotals.Totals total = totals.total();
    assertEquals(List.of(2L, 2L, 1L), counts(total.bucketCounts[PersistTotals.SUCCESS]));
    assertEquals(0, total.count(PersistTotals.ERROR));
    assertEquals(0.0005, total.mins[PersistTotals.SUCCESS]);
    assertEquals(0.5, total.maxes[PersistTotals.SUCCESS]);
  }

  @Test
  void threadsThatEndedAreFoldedInAndTheirCellsReleased() throws InterruptedException {
    PersistTotals totals = new PersistTotals(BOUNDS, 2);
    int threadCount = 50;
    int perThread = 1_000;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          totals.recordSuccess(0.002, null);
          totals.recordFailure(0.02, i % 2, null);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    totals.recordSuccess(0.0001, null); // this thread stays alive: its cell stays

    PersistTotals.Totals first = totals.total();
    assertEquals(
        1,
        totals.cellCount(),
        "every ended thread's cell was folded into the ended threads' totals");
    PersistTotals.Totals second = totals.total();
    for (PersistTotals.Totals total : List.of(first, second)) {
      assertEquals(threadCount * perThread + 1L, total.count(PersistTotals.SUCCESS));
      assertEquals((long) threadCount * perThread, total.count(PersistTotals.ERROR));
      assertEquals(threadCount * perThread / 2L, total.errors[0]);
      assertEquals(threadCount * perThread / 2L, total.errors[1]);
      assertEquals(
          threadCount * perThread * 0.002 + 0.0001, total.sums[PersistTotals.SUCCESS], 1e-9);
    }
  }

  @Test
  void endedThreadsCellsAreFoldedWhenNewThreadsRegisterEvenIfNothingCollects()
      throws InterruptedException {
    PersistTotals totals = new PersistTotals(BOUNDS, 1);
    int threadCount = 5_000;
    int maxCells = 0;
    for (int t = 0; t < threadCount; t++) {
      Thread thread = new Thread(() -> totals.recordSuccess(0.002, null));
      thread.start();
      thread.join();
      maxCells = Math.max(maxCells, totals.cellCount());
    }
    assertEquals(true, maxCells <= 64, "cells held at most: " + maxCells);
    assertEquals(threadCount, totals.total().count(PersistTotals.SUCCESS));
    assertEquals(0, totals.cellCount());
  }

  @Test
  void collectingWhileThreadsRecordNeverLosesOrRepeatsACount() throws InterruptedException {
    PersistTotals totals = new PersistTotals(BOUNDS, 1);
    int threadCount = 4;
    int perThread = 200_000;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          totals.recordFailure(0.003, 0, null);
        }
      });
      threads.add(thread);
      thread.start();
    }
    long previous = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      long seen = totals.total().count(PersistTotals.ERROR);
      assertEquals(
          true,
          seen >= previous,
          "a cumulative count never goes back: " + previous + " then " + seen);
      previous = seen;
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals((long) threadCount * perThread, totals.total().count(PersistTotals.ERROR));
    assertEquals((long) threadCount * perThread, totals.total().errors[0]);
  }

  @Test
  void stripesCountExactlyWhenEveryRecorderContendsForTheSameStripe() throws InterruptedException {
    CellLayout layout = new CellLayout(BOUNDS.size() + 1, 2);
    VirtualThreadStripes stripes = new VirtualThreadStripes(layout, 2);
    Thread sameId = new Thread(() -> {});
    int threadCount = 4;
    int perThread = 100_000;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          // As carriers would: every recorder starts at the same stripe, so the lock is contended.
          stripes.record(sameId, PersistTotals.ERROR, 1, 0.002, i % 2);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    PersistTotals.Totals total = new PersistTotals.Totals(BOUNDS.size(), 2);
    stripes.addTo(total);
    assertEquals((long) threadCount * perThread, total.bucketCounts[PersistTotals.ERROR][1]);
    assertEquals((long) threadCount * perThread / 2, total.errors[0]);
    assertEquals((long) threadCount * perThread / 2, total.errors[1]);
    assertEquals(threadCount * perThread * 0.002, total.sums[PersistTotals.ERROR], 1e-6);
    assertEquals(0.002, total.mins[PersistTotals.ERROR]);
    assertEquals(0.002, total.maxes[PersistTotals.ERROR]);
    assertTrue(
        stripes.stripesInUse() <= threadCount,
        "a contended stripe sends a recorder to the next one: " + stripes.stripesInUse());
  }

  @Test
  void stripesAreSeveralPerCarrierAndBoundedWhateverTheThreadCount() {
    CellLayout layout = new CellLayout(BOUNDS.size() + 1, 1);
    assertEquals(32, new VirtualThreadStripes(layout, 2).stripeCount());
    assertEquals(256, new VirtualThreadStripes(layout, 32).stripeCount());
    assertEquals(1024, new VirtualThreadStripes(layout, 128).stripeCount());
    assertEquals(1024, new VirtualThreadStripes(layout, 4096).stripeCount());

    VirtualThreadStripes stripes = new VirtualThreadStripes(layout, 2);
    for (int id = 0; id < 100_000; id++) {
      Thread thread = new Thread(() -> {});
      stripes.record(thread, PersistTotals.SUCCESS, 0, 0.0001, -1);
    }
    assertEquals(
        stripes.stripeCount(),
        stripes.stripesInUse(),
        "100,000 thread ids spread over every stripe, and no further");
    PersistTotals.Totals total = new PersistTotals.Totals(BOUNDS.size(), 1);
    stripes.addTo(total);
    assertEquals(100_000, total.count(PersistTotals.SUCCESS));
  }

  private static List<Long> counts(long[] buckets) {
    List<Long> counts = new ArrayList<>();
    for (long bucket : buckets) {
      counts.add(bucket);
    }
    return counts;
  }
}
