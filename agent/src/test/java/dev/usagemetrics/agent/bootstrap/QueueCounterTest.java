package dev.usagemetrics.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A private counter per test: cells registered by the test's own threads, summed as the gauge sums them. */
class QueueCounterTest {

  private final QueueCounter counter = new QueueCounter();

  /**
   * Runs on a new thread: registers its cell and counts {@code operations} outermost operations of
   * {@code delta} each.
   */
  private Thread countOnNewThread(int operations, long delta) {
    Thread thread = new Thread(() -> {
      QueueCell cell = counter.register();
      for (int i = 0; i < operations; i++) {
        cell.begin(delta);
        cell.end(0);
      }
    });
    thread.start();
    return thread;
  }

  /** The cell the counter's id table holds for the thread with id {@code threadId}, or null. */
  private QueueCell cellOf(long threadId) {
    return ThreadCells.cellOf(counter.cellsById(), threadId);
  }

  private static void join(List<Thread> threads) throws InterruptedException {
    for (Thread thread : threads) {
      thread.join();
    }
  }

  @Test
  void aCellCountsOnlyTheOutermostOperationAndNegativeCounts() {
    QueueCell cell = counter.register();
    assertTrue(cell.begin(1));
    assertFalse(cell.begin(1), "nested: not started, nothing counted");
    assertEquals(1, cell.count(), "counted while the operation runs");
    cell.end(0);
    assertTrue(cell.begin(0), "the next operation is outermost again");
    cell.end(-4);
    assertEquals(-3, cell.count());
    assertEquals(-3, counter.sum());
  }

  @Test
  void sumOfManyThreadsCellsIsExactWhileReadConcurrently() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      while (running.get()) {
        counter.sum();
      }
    });
    reader.start();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(countOnNewThread(50_000, t % 2 == 0 ? 3 : -1));
    }
    join(threads);
    running.set(false);
    reader.join();

    assertEquals(4 * 50_000 * 3 - 4 * 50_000, counter.sum());
  }

  @Test
  void endedThreadsAreFoldedAtTheReadAndTheirCountsKept() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 200; t++) {
      threads.add(countOnNewThread(3, 1));
    }
    join(threads);

    assertEquals(600, counter.sum());
    assertEquals(0, counter.cellCount(), "every cell folded: its thread ended");
    assertEquals(600, counter.sum(), "folded counts are kept");
  }

  @Test
  void threadChurnWithoutReadsHoldsFewCells() throws Exception {
    for (int t = 0; t < 5_000; t++) {
      countOnNewThread(1, 1).join();
      assertTrue(counter.cellCount() <= 64, "cells held: " + counter.cellCount());
    }
    assertEquals(5_000, counter.sum());
  }

  @Test
  void aLiveThreadsCellIsKeptUntilItEnds() throws Exception {
    CountDownLatch counted = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      QueueCell cell = counter.register();
      cell.begin(5);
      cell.end(0);
      counted.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    thread.start();
    counted.await();

    assertEquals(5, counter.sum());
    assertEquals(1, counter.cellCount());
    finish.countDown();
    thread.join();
    assertEquals(5, counter.sum());
    assertEquals(0, counter.cellCount());
  }

  @Test
  void aThreadFindsItsCellByItsIdAndAnEndedThreadsSlotIsFreedForAnother() throws Exception {
    QueueCell[] registered = new QueueCell[1];
    Thread first = new Thread(() -> registered[0] = counter.register());
    first.start();
    first.join();
    assertTrue(cellOf(first.getId()) == registered[0], "found by id");
    assertTrue(cellOf(first.getId() + 1) == null, "another id finds nothing");

    assertEquals(0, counter.sum(), "the read folds the ended thread's cell");
    assertTrue(cellOf(first.getId()) == null, "and frees its slot");
    QueueCell mine = counter.register();
    assertTrue(cellOf(Thread.currentThread().getId()) == mine);
  }

  @Test
  void aThreadWhoseIdSlotAnotherLiveThreadHoldsFindsItsOwnCellInItsThreadLocal() throws Exception {
    QueueCell mine = counter.currentCell();
    long myId = Thread.currentThread().getId();
    QueueCell[] found = new QueueCell[2];
    Thread sameSlot;
    do {
      sameSlot = new Thread(() -> {
        found[0] = counter.currentCell();
        found[1] = counter.currentCell();
        found[0].begin(2);
        found[0].end(0);
      });
    } while ((sameSlot.getId() - myId) % counter.cellsById().length != 0);
    sameSlot.start();
    sameSlot.join();

    assertTrue(found[0] != mine && found[1] == found[0], "a cell of its own, found again");
    assertTrue(cellOf(myId) == mine, "the slot stays with the live thread that holds it");
    assertEquals(2, counter.sum());
  }

  @Test
  void threadsDyingWhileTheGaugeIsReadLoseAndDuplicateNothing() throws Exception {
    List<Thread> spawners = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      Thread spawner = new Thread(() -> {
        for (int t = 0; t < 500; t++) {
          try {
            countOnNewThread(2, 1).join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
      spawner.start();
      spawners.add(spawner);
    }
    long reads = 0;
    while (spawners.stream().anyMatch(Thread::isAlive)) {
      counter.sum();
      reads++;
    }
    join(spawners);

    assertTrue(reads > 0);
    assertEquals(4 * 500 * 2, counter.sum());
    assertEquals(0, counter.cellCount());
  }
}
