package com.example.llmusage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A workload whose outcome counts are known in advance, run in three phases so that no
 * outcome depends on timing:
 * <ol>
 *   <li>successes shuffled with malformed records (validation needs no timing at all);</li>
 *   <li>calls for the batch model while the {@link BillingReconciler} provably holds that
 *       model's row lock, released only after every one of them has failed;</li>
 *   <li>retries of records that phase 1 committed, so each hits the primary key.</li>
 * </ol>
 * Each phase finishes (including queued records) before the next starts.
 */
public final class FixedWorkload {
  /**
   * Upper bound on how long the reconciler keeps the lock if the phase never releases it;
   * far longer than any phase, it only keeps a bug from hanging the run.
   */
  private static final Duration MAX_LOCK_HOLD = Duration.ofMinutes(10);

  private static final long SHUFFLE_SEED = 42;

  private final UsageIntake intake;
  private final UsageRecordFactory factory;
  private final BillingReconciler reconciler;
  private final int producerThreads;
  private final List<UsageRecord> committed = new ArrayList<>();

  public FixedWorkload(
      UsageIntake intake,
      UsageRecordFactory factory,
      BillingReconciler reconciler,
      int producerThreads) {
    this.intake = intake;
    this.factory = factory;
    this.reconciler = reconciler;
    this.producerThreads = producerThreads;
  }

  public void run(int successes, int invalid, int timeouts, int duplicates)
      throws InterruptedException, ExecutionException {
    ExecutorService producers =
        Executors.newFixedThreadPool(producerThreads, new NamedThreadFactory("producer", false));
    try {
      List<UsageRecord> mixed = new ArrayList<>(successes + invalid);
      for (int i = 0; i < successes; i++) {
        UsageRecord record = factory.valid();
        mixed.add(record);
        committed.add(record);
      }
      for (int i = 0; i < invalid; i++) {
        mixed.add(factory.invalid());
      }
      Collections.shuffle(mixed, new Random(SHUFFLE_SEED));
      runPhase(producers, mixed);

      if (timeouts > 0) {
        List<UsageRecord> blocked = new ArrayList<>(timeouts);
        for (int i = 0; i < timeouts; i++) {
          blocked.add(factory.valid(UsageRecordFactory.BATCH_MODEL));
        }
        runWhileBatchRowLocked(producers, blocked);
      }

      List<UsageRecord> retries = new ArrayList<>(duplicates);
      for (int i = 0; i < duplicates; i++) {
        retries.add(factory.retryOf(committed.get(i % committed.size())));
      }
      runPhase(producers, retries);
    } finally {
      producers.shutdownNow();
    }
  }

  /** Records that phase 1 persisted successfully. */
  public List<UsageRecord> committedRecords() {
    return Collections.unmodifiableList(committed);
  }

  private void runWhileBatchRowLocked(ExecutorService producers, List<UsageRecord> blocked)
      throws InterruptedException, ExecutionException {
    CountDownLatch rowLocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService job =
        Executors.newSingleThreadExecutor(new NamedThreadFactory("billing-reconciler", false));
    try {
      Future<Boolean> reconciliation = job.submit(() ->
          reconciler.reconcile(UsageRecordFactory.BATCH_MODEL, rowLocked, release, MAX_LOCK_HOLD));
      try {
        while (!rowLocked.await(10, TimeUnit.MILLISECONDS)) {
          if (reconciliation.isDone()) {
            reconciliation.get(); // the job failed before locking: surface why
          }
        }
        runPhase(producers, blocked);
      } finally {
        release.countDown();
      }
      reconciliation.get();
    } finally {
      job.shutdown();
    }
  }

  /** Spreads the records round-robin over the producers and waits until all have settled. */
  private void runPhase(ExecutorService producers, List<UsageRecord> records)
      throws InterruptedException, ExecutionException {
    List<Future<?>> running = new ArrayList<>(producerThreads);
    for (int p = 0; p < producerThreads; p++) {
      int first = p;
      running.add(producers.submit(() -> {
        for (int i = first; i < records.size(); i += producerThreads) {
          intake.accept(records.get(i));
        }
        return null;
      }));
    }
    for (Future<?> producer : running) {
      producer.get();
    }
    intake.awaitSettled();
  }
}
