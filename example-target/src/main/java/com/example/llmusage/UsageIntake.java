package com.example.llmusage;

import java.util.concurrent.atomic.LongAdder;

/**
 * The service's front door: takes a record from a caller thread and either persists it on that
 * thread ({@code sync}) or hands it to the {@link AsyncUsageWriter} through the
 * {@link PendingUsageQueue} ({@code queue}).
 */
public final class UsageIntake {
  /** Back-off before re-offering to a full queue: long enough to let a writer drain a slot. */
  private static final long FULL_QUEUE_BACKOFF_MILLIS = 1;

  private final UsageRepository repository;
  private final OutcomeTally directOutcomes;
  private final PendingUsageQueue queue;
  private final AsyncUsageWriter writer;
  private final LongAdder calls = new LongAdder();
  private final LongAdder rejectedOffers = new LongAdder();

  private UsageIntake(
      UsageRepository repository, PendingUsageQueue queue, AsyncUsageWriter writer) {
    this.repository = repository;
    this.directOutcomes = repository != null ? new OutcomeTally() : null;
    this.queue = queue;
    this.writer = writer;
  }

  /** Callers persist directly and see the outcome themselves. */
  public static UsageIntake direct(UsageRepository repository) {
    return new UsageIntake(repository, null, null);
  }

  /** Callers enqueue; the writer persists and keeps the outcomes. */
  public static UsageIntake queued(PendingUsageQueue queue, AsyncUsageWriter writer) {
    return new UsageIntake(null, queue, writer);
  }

  /**
   * Accepts one record. In queue mode a full queue is retried until it takes the record, so
   * no call is lost; every refusal is counted.
   */
  public void accept(UsageRecord record) throws InterruptedException {
    calls.increment();
    if (repository != null) {
      try {
        repository.persist(record);
        directOutcomes.recordSuccess();
      } catch (Exception failure) {
        directOutcomes.recordFailure(failure);
      }
      return;
    }
    while (!queue.offer(record)) {
      rejectedOffers.increment();
      Thread.sleep(FULL_QUEUE_BACKOFF_MILLIS);
    }
  }

  /** Waits until every accepted record has been persisted or has failed. */
  public void awaitSettled() throws InterruptedException {
    if (writer != null) {
      writer.awaitProcessed(calls.sum());
    }
  }

  public OutcomeTally outcomes() {
    return writer != null ? writer.outcomes() : directOutcomes;
  }

  public long calls() {
    return calls.sum();
  }

  public long rejectedOffers() {
    return rejectedOffers.sum();
  }
}
