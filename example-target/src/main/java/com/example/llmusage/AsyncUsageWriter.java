package com.example.llmusage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Worker threads that move records from the {@link PendingUsageQueue} into the repository.
 *
 * <p>A failed persist is counted and dropped, not retried: the failures seen here (malformed
 * record, duplicate id, lock timeout) are not cured by trying the same record again at once.
 */
public final class AsyncUsageWriter {
  /** How often an idle worker re-checks whether it has been asked to stop. */
  private static final long POLL_MILLIS = 20;

  private final PendingUsageQueue queue;
  private final UsageRepository repository;
  private final int workerCount;
  private final OutcomeTally outcomes = new OutcomeTally();
  private final List<Thread> workers = new ArrayList<>();
  private final Object progress = new Object();
  private long processed;
  private volatile boolean draining;
  private volatile boolean stopping;

  public AsyncUsageWriter(PendingUsageQueue queue, UsageRepository repository, int workerCount) {
    if (workerCount < 1) {
      throw new IllegalArgumentException("workerCount must be at least 1");
    }
    this.queue = queue;
    this.repository = repository;
    this.workerCount = workerCount;
  }

  public synchronized void start() {
    if (!workers.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    for (int i = 1; i <= workerCount; i++) {
      Thread worker = new Thread(this::work, "usage-writer-" + i);
      workers.add(worker);
      worker.start();
    }
  }

  /** Persists everything still queued, then stops. Call once producers have stopped offering. */
  public void drainAndStop() throws InterruptedException {
    draining = true;
    joinWorkers();
  }

  /** Stops after the records currently being written; whatever is still queued stays there. */
  public void stopNow() throws InterruptedException {
    stopping = true;
    joinWorkers();
  }

  /** Blocks until at least {@code count} records have been taken and written (or failed). */
  public void awaitProcessed(long count) throws InterruptedException {
    synchronized (progress) {
      while (processed < count) {
        progress.wait();
      }
    }
  }

  public long processed() {
    synchronized (progress) {
      return processed;
    }
  }

  public OutcomeTally outcomes() {
    return outcomes;
  }

  private void work() {
    try {
      while (!stopping) {
        UsageRecord record = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (record == null) {
          if (draining) {
            return;
          }
          continue;
        }
        write(record);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(UsageRecord record) {
    try {
      repository.persist(record);
      outcomes.recordSuccess();
    } catch (Exception failure) {
      outcomes.recordFailure(failure);
    }
    synchronized (progress) {
      processed++;
      progress.notifyAll();
    }
  }

  private synchronized void joinWorkers() throws InterruptedException {
    for (Thread worker : workers) {
      worker.join();
    }
  }
}
