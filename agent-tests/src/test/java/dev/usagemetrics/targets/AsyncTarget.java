package dev.usagemetrics.targets;

import java.lang.ref.WeakReference;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A persist target whose methods return futures: completing later on other threads, normally or
 * exceptionally, already complete, cancelled by the caller, or never completing at all.
 *
 * <p>Prints {@code ASYNC key=value ...} with what the application observed: how many calls ended
 * each way, {@code not_same_future} (the caller received a different object than the method
 * created), {@code observed_never_completed} (futures that never complete but had a dependent
 * registered, i.e. the agent did observe them) and {@code never_completed_alive} (of those, how
 * many were still reachable after garbage collection).
 */
public final class AsyncTarget {

  public static final int SLOW_SUCCESSES = 40;
  public static final long SLOW_MILLIS = 30;
  public static final int COMPLETED_SUCCESSES = 10;
  public static final int NULL_RETURNS = 5;
  public static final int TIMEOUTS = 7;
  public static final int DUPLICATES = 11;
  public static final int INVALID = 13;
  public static final int SYNCHRONOUS_THROWS = 3;
  public static final int CANCELLATIONS = 17;
  public static final int NEVER_COMPLETED = 100;

  /** The configured persist target; remembers the last future it created, for the identity check. */
  public static final class AsyncStore {
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    Object lastCreated;

    public CompletableFuture<String> saveSlowly(String record) {
      CompletableFuture<String> future = created(new CompletableFuture<>());
      executor.execute(() -> {
        sleep(SLOW_MILLIS);
        future.complete(record);
      });
      return future;
    }

    /** Fails on another thread; a {@code CompletionException} wrapper is unwrapped by whoever classifies. */
    public CompletableFuture<String> saveFailing(Exception failure, boolean wrapped) {
      CompletableFuture<String> future = created(new CompletableFuture<>());
      executor.execute(
          () -> future.completeExceptionally(wrapped ? new CompletionException(failure) : failure));
      return future;
    }

    /** Declared as a {@code CompletionStage}, already complete when returned. */
    public CompletionStage<String> saveCompleted(String record) {
      return created(CompletableFuture.completedFuture(record));
    }

    public CompletableFuture<String> saveNothing() {
      return null;
    }

    public CompletableFuture<String> saveRejected(String record) {
      throw new IllegalStateException("store closed, not storing " + record);
    }

    /** Waits for something that never happens (unless the caller cancels). */
    public CompletableFuture<String> saveEventually(String record) {
      return created(new CompletableFuture<>());
    }

    private <T> T created(T future) {
      lastCreated = future;
      return future;
    }

    void close() throws InterruptedException {
      executor.shutdown();
      executor.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private final AsyncStore store = new AsyncStore();
  private final List<CompletableFuture<?>> pending = new ArrayList<>();
  private long notSameFuture;
  private long successes;
  private long failures;

  private AsyncTarget() {}

  public static void main(String[] args) throws Exception {
    new AsyncTarget().run();
  }

  private void run() throws Exception {
    for (int i = 0; i < SLOW_SUCCESSES; i++) {
      track(store.saveSlowly("slow-" + i));
    }
    for (int i = 0; i < COMPLETED_SUCCESSES; i++) {
      track(store.saveCompleted("done-" + i).toCompletableFuture());
    }
    for (int i = 0; i < TIMEOUTS; i++) {
      track(store.saveFailing(new SQLTimeoutException("statement timeout " + i), i % 2 == 0));
    }
    for (int i = 0; i < DUPLICATES; i++) {
      track(store.saveFailing(new SQLException("duplicate key " + i, "23505"), i % 2 == 0));
    }
    for (int i = 0; i < INVALID; i++) {
      track(store.saveFailing(new IllegalArgumentException("negative tokens " + i), i % 2 == 0));
    }
    long nullReturns = 0;
    for (int i = 0; i < NULL_RETURNS; i++) {
      nullReturns += store.saveNothing() == null ? 1 : 0;
    }
    long synchronousThrows = 0;
    for (int i = 0; i < SYNCHRONOUS_THROWS; i++) {
      try {
        store.saveRejected("late-" + i);
      } catch (IllegalStateException expected) {
        synchronousThrows++;
      }
    }
    long cancelled = 0;
    for (int i = 0; i < CANCELLATIONS; i++) {
      CompletableFuture<String> future = store.saveEventually("cancelled-" + i);
      checkSame(future);
      cancelled += future.cancel(true) && future.isCancelled() ? 1 : 0;
    }
    for (CompletableFuture<?> future : pending) {
      future
          .handle((value, failure) -> failure == null ? successes++ : failures++)
          .join();
    }
    store.close(); // after this, every completion (and every callback run by it) has happened

    List<WeakReference<CompletableFuture<String>>> neverCompleted = new ArrayList<>();
    long observedNeverCompleted = 0;
    for (int i = 0; i < NEVER_COMPLETED; i++) {
      CompletableFuture<String> future = store.saveEventually("never-" + i);
      checkSame(future);
      observedNeverCompleted += future.getNumberOfDependents() > 0 ? 1 : 0;
      neverCompleted.add(new WeakReference<>(future));
    }
    store.lastCreated = null;
    System.out.println(
        "ASYNC successes=" + successes + " failures=" + failures + " null_returns=" + nullReturns
            + " synchronous_throws=" + synchronousThrows + " cancelled=" + cancelled
            + " not_same_future=" + notSameFuture
            + " observed_never_completed=" + observedNeverCompleted
            + " never_completed_alive=" + aliveAfterGc(neverCompleted));
  }

  private void track(CompletableFuture<String> future) {
    checkSame(future);
    pending.add(future);
  }

  private void checkSame(Object returned) {
    notSameFuture += returned == store.lastCreated ? 0 : 1;
  }

  /** How many still exist after the collector had every chance to clear them. */
  private static long aliveAfterGc(List<? extends WeakReference<?>> references)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long alive;
    do {
      System.gc();
      Thread.sleep(20);
      alive = references.stream().filter(reference -> reference.get() != null).count();
    } while (alive > 0 && System.nanoTime() < deadline);
    return alive;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
