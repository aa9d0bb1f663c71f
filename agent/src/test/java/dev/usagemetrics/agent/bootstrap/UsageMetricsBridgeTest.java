package dev.usagemetrics.agent.bootstrap;

import static dev.usagemetrics.agent.bootstrap.UsageMetricsBridge.ADDS_ONE;
import static dev.usagemetrics.agent.bootstrap.UsageMetricsBridge.CHANGES_SIZE;
import static dev.usagemetrics.agent.bootstrap.UsageMetricsBridge.NESTED;
import static dev.usagemetrics.agent.bootstrap.UsageMetricsBridge.NOT_TRACKED;
import static dev.usagemetrics.agent.bootstrap.UsageMetricsBridge.REMOVES_COUNT;
import static dev.usagemetrics.agent.bootstrap.UsageMetricsBridge.REMOVES_ONE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge is a plain class in the test JVM; its per-thread depth and global sink are reset after each test. */
class UsageMetricsBridgeTest {

  /** Fails on every call, even when told about its own failure; counts how often it was told. */
  static final class ThrowingSink implements UsageMetricsSink {
    final java.util.concurrent.atomic.AtomicInteger failuresReported =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void persistSucceeded(long durationNanos, Class<?> caller) {
      throw new IllegalStateException("sink broken");
    }

    @Override
    public void persistFailed(long durationNanos, Throwable error, Class<?> caller) {
      throw new IllegalStateException("sink broken");
    }

    @Override
    public void persistReturnedStage(long startNanos, Object stage) {
      throw new IllegalStateException("sink broken");
    }

    @Override
    public boolean tracksQueue(Object queue) {
      throw new OutOfMemoryError("sink broken badly");
    }

    @Override
    public void recordingFailed(Throwable problem) {
      failuresReported.incrementAndGet();
      throw new IllegalStateException("cannot even report");
    }
  }

  private final Object queue = new Object();
  private final RecordingSink sink = connected(new RecordingSink(q -> true));

  private static <T extends UsageMetricsSink> T connected(T sink) {
    UsageMetricsBridge.connect(sink);
    return sink;
  }

  @AfterEach
  void depthIsBalancedAndSinkIsReset() {
    RecordingSink probe = connected(new RecordingSink(q -> true));
    long persist = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), persist, null, null);
    long sizeBefore = UsageMetricsBridge.queueSize();
    QueueOperation offer = QueueOperation.enter(ADDS_ONE, queue);
    offer.exit(true, null);
    UsageMetricsBridge.connect(null);

    assertNotEquals(NESTED, persist, "persist depth leaked out of the test");
    assertNotEquals(NESTED, offer.state, "a queue operation was left in progress by the test");
    assertEquals(sizeBefore + 1, UsageMetricsBridge.queueSize());
    assertEquals(List.of("success"), probe.events);
  }

  // ---- persist ----

  @Test
  void exitAfterAnEnterThatNeverFetchedTheDepthRecordsNothing() {
    UsageMetricsBridge.exitPersist(null, 0L, new RuntimeException("enter advice failed"), null);
    assertEquals(List.of(), sink.events);
  }

  @Test
  void singleCallIsCountedAsSuccess() {
    long start = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), start, null, null);
    assertEquals(List.of("success"), sink.events);
  }

  @Test
  void nestedCallsCountOnceWithTheOutermostThrowable() {
    IllegalStateException inner = new IllegalStateException("inner");
    RuntimeException outer = new RuntimeException("outer", inner);

    long outerStart = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    long middleStart = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    long innerStart = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    assertNotEquals(NESTED, outerStart);
    assertEquals(NESTED, middleStart);
    assertEquals(NESTED, innerStart);

    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), innerStart, inner, null);
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), middleStart, outer, null);
    assertEquals(List.of(), sink.events, "nested exits record nothing");

    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), outerStart, outer, null);
    assertEquals(List.of("failed"), sink.events);
    assertSame(outer, sink.lastError);
  }

  @Test
  void innerFailureCaughtByOuterCallIsASuccess() {
    long outer = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    long inner = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitPersist(
        UsageMetricsBridge.persistDepth(), inner, new IllegalStateException("handled"), null);
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), outer, null, null);
    assertEquals(List.of("success"), sink.events);
  }

  @Test
  void depthRecoversAfterAnException() {
    RuntimeException failure = new RuntimeException("boom");
    long outer = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    long inner = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), inner, failure, null);
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), outer, failure, null);

    long next = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    assertNotEquals(NESTED, next, "the next call is outermost again");
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), next, null, null);
    assertEquals(List.of("failed", "success"), sink.events);
  }

  @Test
  void depthIsPerThread() throws Exception {
    long outer = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    long[] otherThread = new long[1];
    Thread thread = new Thread(
        () -> otherThread[0] = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth()));
    thread.start();
    thread.join();
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), outer, null, null);

    assertNotEquals(NESTED, otherThread[0]);
  }

  @Test
  void asyncCallHandsTheStageAndStartToTheSink() {
    CompletableFuture<String> stage = new CompletableFuture<>();
    long start = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitAsyncPersist(
        UsageMetricsBridge.persistDepth(), start, stage, null, null);

    assertEquals(List.of("stage"), sink.events);
    assertSame(stage, sink.lastStage);
    assertEquals(start, sink.lastStageStart);
  }

  @Test
  void asyncCallThatThrowsOrReturnsNullIsRecordedAtOnce() {
    IllegalArgumentException thrown = new IllegalArgumentException("bad");
    long first = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitAsyncPersist(
        UsageMetricsBridge.persistDepth(), first, null, thrown, null);
    long second = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitAsyncPersist(
        UsageMetricsBridge.persistDepth(), second, null, null, null);

    assertEquals(List.of("failed", "success"), sink.events);
    assertSame(thrown, sink.lastError);
  }

  @Test
  void nestedAsyncCallIsNotCounted() {
    long outer = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    long inner = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    UsageMetricsBridge.exitAsyncPersist(
        UsageMetricsBridge.persistDepth(), inner, new CompletableFuture<>(), null, null);
    assertEquals(List.of(), sink.events);
    UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), outer, null, null);
    assertEquals(List.of("success"), sink.events);
  }

  @Test
  void nothingIsRecordedWithoutASink() {
    UsageMetricsBridge.connect(null);
    long start = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    assertDoesNotThrow(() -> UsageMetricsBridge.exitPersist(
        UsageMetricsBridge.persistDepth(), start, new RuntimeException(), null));
    assertEquals(
        NOT_TRACKED,
        UsageMetricsBridge.enterQueueOperation(
            ADDS_ONE | UsageMetricsBridge.IN_SHARED_CLASS,
            UsageMetricsBridge.queueCell(ADDS_ONE | UsageMetricsBridge.IN_SHARED_CLASS, queue),
            queue),
        "without a sink no queue in a shared class can be told to be configured");
    assertEquals(List.of(), sink.events);
  }

  // ---- queue ----

  /** How much the queue gauge changed while {@code operations} ran on this thread. */
  private static long sizeChangeOf(Runnable operations) {
    long before = UsageMetricsBridge.queueSize();
    operations.run();
    return UsageMetricsBridge.queueSize() - before;
  }

  private long queueOperation(int kind, Object returned, Throwable thrown) {
    return sizeChangeOf(() -> QueueOperation.enter(kind, queue).exit(returned, thrown));
  }

  @Test
  void acceptedOfferAddsOne() {
    assertEquals(1, queueOperation(ADDS_ONE, Boolean.TRUE, null));
  }

  @Test
  void rejectedOfferIsCountedOnEntryAndTakenBack() {
    long before = UsageMetricsBridge.queueSize();
    QueueOperation offer = QueueOperation.enter(ADDS_ONE, queue);
    // +1 before the element can be seen by a consumer, so the gauge never dips below zero.
    assertEquals(before + 1, UsageMetricsBridge.queueSize());
    offer.exit(Boolean.FALSE, null);
    assertEquals(before, UsageMetricsBridge.queueSize());
  }

  @Test
  void voidPutThatReturnsNormallyAddsOne() {
    assertEquals(1, queueOperation(ADDS_ONE, null, null));
  }

  @Test
  void emptyPollChangesNothing() {
    assertEquals(0, queueOperation(REMOVES_ONE, null, null));
  }

  @Test
  void pollReturningAnElementRemovesOne() {
    assertEquals(-1, queueOperation(REMOVES_ONE, "record", null));
  }

  @Test
  void removeReturningTrueRemovesOneAndFalseNothing() {
    assertEquals(0, queueOperation(REMOVES_ONE, Boolean.FALSE, null));
    assertEquals(-1, queueOperation(REMOVES_ONE, Boolean.TRUE, null));
  }

  @Test
  void drainRemovesTheReturnedCount() {
    assertEquals(0, queueOperation(REMOVES_COUNT, 0, null));
    assertEquals(-3, queueOperation(REMOVES_COUNT, 3, null));
  }

  @Test
  void bulkChangeIsMeasuredAsSizeDifference() {
    List<String> list = new ArrayList<>(List.of("a", "b", "c"));
    long change = sizeChangeOf(() -> {
      QueueOperation removeIf = QueueOperation.enter(CHANGES_SIZE, list);
      list.removeIf(s -> !s.equals("b"));
      removeIf.exit(Boolean.TRUE, null);
    });
    assertEquals(-2, change);
  }

  @Test
  void throwingOperationChangesNothingInTotal() {
    assertEquals(0, queueOperation(ADDS_ONE, null, new IllegalStateException("Queue full")));
    assertEquals(0, queueOperation(REMOVES_ONE, null, new java.util.NoSuchElementException()));
    assertEquals(
        1, queueOperation(ADDS_ONE, Boolean.TRUE, null), "the next operation is outermost again");
    assertEquals(List.of(), sink.events);
  }

  @Test
  void nestedQueueOperationIsNotCountedAgain() {
    long change = sizeChangeOf(() -> {
      QueueOperation outer = QueueOperation.enter(ADDS_ONE, queue); // add(...)
      QueueOperation inner = QueueOperation.enter(ADDS_ONE, queue); // ... calling offer(...)
      assertEquals(NESTED, inner.state);
      QueueOperation innerRemove = QueueOperation.enter(REMOVES_COUNT, queue);
      assertEquals(NESTED, innerRemove.state, "any operation inside another is nested");
      innerRemove.exit(5, null);
      inner.exit(Boolean.TRUE, null);
      outer.exit(Boolean.TRUE, null);
    });
    assertEquals(1, change, "only the outer operation counts");
  }

  @Test
  void nestingIsPerThread() throws Exception {
    long change = sizeChangeOf(() -> {
      QueueOperation outer = QueueOperation.enter(ADDS_ONE, queue);
      Thread other =
          new Thread(() -> QueueOperation.enter(ADDS_ONE, queue).exit(Boolean.TRUE, null));
      other.start();
      joinQuietly(other);
      outer.exit(Boolean.TRUE, null);
    });
    assertEquals(2, change, "another thread's operation is not nested in this one's");
  }

  @Test
  void untrackedQueueInASharedClassIsNeitherCountedNorNested() {
    connected(new RecordingSink(q -> q == queue));
    Object other = new Object();
    int sharedAdd = ADDS_ONE | UsageMetricsBridge.IN_SHARED_CLASS;

    long change = sizeChangeOf(() -> {
      QueueOperation untracked = QueueOperation.enter(sharedAdd, other);
      assertEquals(NOT_TRACKED, untracked.state);
      QueueOperation tracked = QueueOperation.enter(sharedAdd, queue);
      assertNotEquals(
          NESTED, tracked.state, "an untracked operation does not make a tracked one nested");
      tracked.exit(Boolean.TRUE, null);
      untracked.exit(Boolean.TRUE, null);
    });
    assertEquals(1, change);
  }

  @Test
  void outsideSharedClassesTheTypeIsNotChecked() {
    connected(new RecordingSink(q -> false));
    assertEquals(
        1,
        queueOperation(ADDS_ONE, Boolean.TRUE, null),
        "advice only sits in configured classes there");
  }

  @Test
  void exitAfterAnEnterThatNeverFetchedTheCellCountsNothing() {
    long change = sizeChangeOf(
        () -> UsageMetricsBridge.exitQueueOperation(REMOVES_ONE, null, 0L, queue, "record", null));
    assertEquals(0, change);
  }

  @Test
  void countsFromManyThreadsAddUpExactly() throws Exception {
    int threads = 8;
    int pairs = 20_000;
    long change = sizeChangeOf(() -> {
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread worker = new Thread(() -> {
          for (int i = 0; i < pairs; i++) {
            QueueOperation.enter(ADDS_ONE, queue).exit(Boolean.TRUE, null);
            QueueOperation.enter(ADDS_ONE, queue).exit(Boolean.TRUE, null);
            QueueOperation.enter(REMOVES_ONE, queue).exit("record", null);
          }
        });
        worker.start();
        workers.add(worker);
      }
      workers.forEach(UsageMetricsBridgeTest::joinQuietly);
    });
    assertEquals((long) threads * pairs, change);
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A collection whose {@code size()} throws on the calls numbered in {@code failingCalls} (1-based). */
  static final class UnreliableSize extends java.util.AbstractCollection<Object> {
    private final java.util.Set<Integer> failingCalls;
    private int calls;

    UnreliableSize(Integer... failingCalls) {
      this.failingCalls = java.util.Set.of(failingCalls);
    }

    @Override
    public java.util.Iterator<Object> iterator() {
      return Collections.emptyIterator();
    }

    @Override
    public int size() {
      if (failingCalls.contains(++calls)) {
        throw new UnsupportedOperationException("size() not supported");
      }
      return 5;
    }
  }

  @Test
  void bulkChangeWithoutASizeBeforeIsReportedAndNotCounted() {
    UnreliableSize sizeFailsBefore = new UnreliableSize(1);
    long change = sizeChangeOf(() -> {
      QueueOperation clear =
          assertDoesNotThrow(() -> QueueOperation.enter(CHANGES_SIZE, sizeFailsBefore));
      assertEquals(NOT_TRACKED, clear.state);
      clear.exit(null, null);
    });

    // Not "+5" (the size after, against no size before): nothing measured is counted.
    assertEquals(0, change);
    assertEquals(List.of("recording failed: size() not supported"), sink.events);
  }

  @Test
  void bulkChangeWithoutASizeAfterIsReportedAndNotCounted() {
    UnreliableSize sizeFailsAfter = new UnreliableSize(2);
    long change = sizeChangeOf(() -> {
      QueueOperation clear = QueueOperation.enter(CHANGES_SIZE, sizeFailsAfter);
      assertDoesNotThrow(() -> clear.exit(null, null));
    });

    assertEquals(0, change);
    assertEquals(List.of("recording failed: size() not supported"), sink.events);
  }

  @Test
  void bulkChangeOnAConfiguredClassThatIsNoCollectionIsReportedAndNotCounted() {
    long change = sizeChangeOf(() ->
        assertDoesNotThrow(() -> QueueOperation.enter(CHANGES_SIZE, queue)).exit(null, null));

    assertEquals(0, change);
    assertEquals(1, sink.events.size());
    assertTrue(sink.events.get(0).startsWith("recording failed: "), sink.events.toString());
  }

  // ---- a failing sink ----

  @Test
  void throwingSinkNeverReachesTheApplication() {
    ThrowingSink throwing = connected(new ThrowingSink());
    assertDoesNotThrow(() -> {
      long a = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
      UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), a, null, null);
      long b = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
      UsageMetricsBridge.exitPersist(
          UsageMetricsBridge.persistDepth(), b, new RuntimeException(), null);
      long c = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
      UsageMetricsBridge.exitAsyncPersist(
          UsageMetricsBridge.persistDepth(), c, new CompletableFuture<>(), null, null);
      QueueOperation.enter(ADDS_ONE | UsageMetricsBridge.IN_SHARED_CLASS, queue)
          .exit(Boolean.TRUE, null);
      QueueOperation.enter(CHANGES_SIZE, queue).exit(null, null);
    });
    assertEquals(
        5, throwing.failuresReported.get(), "each failed call was reported to the sink once");
  }

  @Test
  void sinkFailureIsReportedToTheSinkInsteadOfThrown() {
    RecordingSink failing = connected(new RecordingSink(q -> true) {
      @Override
      public void persistSucceeded(long durationNanos, Class<?> caller) {
        throw new IllegalStateException("instrument closed");
      }
    });
    long start = UsageMetricsBridge.enterPersist(UsageMetricsBridge.persistDepth());
    assertDoesNotThrow(
        () -> UsageMetricsBridge.exitPersist(UsageMetricsBridge.persistDepth(), start, null, null));
    assertEquals(List.of("recording failed: instrument closed"), failing.events);
  }

  @Test
  void sinkFailingToTellTrackedQueuesMeansNotTracked() {
    RecordingSink failing = connected(new RecordingSink(q -> {
      throw new IllegalStateException("filter broken");
    }));
    assertEquals(
        NOT_TRACKED,
        assertDoesNotThrow(
                () -> QueueOperation.enter(ADDS_ONE | UsageMetricsBridge.IN_SHARED_CLASS, queue))
            .state);
    assertEquals(List.of("recording failed: filter broken"), failing.events);
  }

  // ---- installation claim ----

  @Test
  void installationCanBeClaimedOnlyOncePerJvm() {
    UsageMetricsBridge.claimInstallation();
    assertFalse(UsageMetricsBridge.claimInstallation());
    assertTrue(sink.events.isEmpty());
  }
}
