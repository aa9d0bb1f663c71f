package com.example.llmusage;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live, mixed load for demos: producers offer records at a steady rate into the queue, the
 * writer persists them, and every few seconds the billing reconciler locks the batch model's
 * row, so batch calls arriving meanwhile time out and the writer falls behind for a moment.
 */
public final class ServiceWorkload {
  private static final double INVALID_SHARE = 0.04;
  private static final double RETRY_SHARE = 0.02;
  private static final double BATCH_SHARE = 0.15;

  /** A retry repeats a record its producer sent this many records earlier, long since stored. */
  private static final int RETRY_LAG = 50;

  private static final Duration RECONCILE_EVERY = Duration.ofSeconds(4);
  private static final Duration RECONCILE_SLOW_STEP = Duration.ofMillis(500);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private final UsageIntake intake;
  private final UsageRecordFactory factory;
  private final BillingReconciler reconciler;
  private final PendingUsageQueue queue;
  private final int producerThreads;
  private final double rate;
  private final PrintStream log;
  private final AtomicLong reconciliations = new AtomicLong();
  /** Deepest backlog since the last progress line: the queue is usually empty when sampled. */
  private final AtomicInteger peakBacklog = new AtomicInteger();

  private final List<Thread> producers = new ArrayList<>();
  private volatile boolean running;
  private ScheduledExecutorService reconcileJob;

  public ServiceWorkload(
      UsageIntake intake,
      UsageRecordFactory factory,
      BillingReconciler reconciler,
      PendingUsageQueue queue,
      int producerThreads,
      double rate,
      PrintStream log) {
    this.intake = intake;
    this.factory = factory;
    this.reconciler = reconciler;
    this.queue = queue;
    this.producerThreads = producerThreads;
    this.rate = rate;
    this.log = log;
  }

  /** Runs for {@code duration}, or until the thread is interrupted if it is zero. */
  public void run(Duration duration) throws InterruptedException {
    start();
    long startNanos = System.nanoTime();
    long deadline = duration.isZero() ? Long.MAX_VALUE : startNanos + duration.toNanos();
    try {
      while (true) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          return;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(remaining, PROGRESS_EVERY.toNanos()));
        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        log.println(WorkloadReport.of(intake, 0, 0, queue)
            .progressLine(elapsed, peakBacklog.getAndSet(0), reconciliations.get()));
      }
    } finally {
      stop();
    }
  }

  /** Stops producing and reconciling; records already offered stay with the writer. Idempotent. */
  public synchronized void stop() throws InterruptedException {
    if (!running) {
      return;
    }
    running = false;
    reconcileJob.shutdown();
    for (Thread producer : producers) {
      producer.join();
    }
    reconcileJob.awaitTermination(1, TimeUnit.MINUTES);
  }

  private synchronized void start() {
    running = true;
    reconcileJob = Executors.newSingleThreadScheduledExecutor(
        new NamedThreadFactory("billing-reconciler", false));
    reconcileJob.scheduleWithFixedDelay(
        this::reconcileBatchModel,
        RECONCILE_EVERY.toMillis(),
        RECONCILE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) * producerThreads / rate);
    for (int p = 1; p <= producerThreads; p++) {
      Random random = new Random(p);
      Thread producer = new Thread(() -> produce(random, intervalNanos), "producer-" + p);
      producers.add(producer);
      producer.start();
    }
  }

  private void produce(Random random, long intervalNanos) {
    ArrayDeque<UsageRecord> sent = new ArrayDeque<>(RETRY_LAG + 1);
    long next = System.nanoTime();
    try {
      while (running) {
        intake.accept(nextRecord(random, sent));
        peakBacklog.accumulateAndGet(queue.size(), Math::max);
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        } else {
          // Fell behind (full queue): carry on at the rate, do not burst to catch up.
          next = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private UsageRecord nextRecord(Random random, ArrayDeque<UsageRecord> sent) {
    double dice = random.nextDouble();
    if (dice < INVALID_SHARE) {
      return factory.invalid();
    }
    if (dice < INVALID_SHARE + RETRY_SHARE && sent.size() == RETRY_LAG) {
      return factory.retryOf(sent.pollFirst());
    }
    if (random.nextDouble() < BATCH_SHARE) {
      // Not kept for retries: it may have timed out, and a retry would then succeed.
      return factory.valid(UsageRecordFactory.BATCH_MODEL);
    }
    UsageRecord record = factory.valid();
    sent.addLast(record);
    if (sent.size() > RETRY_LAG) {
      sent.pollFirst();
    }
    return record;
  }

  private void reconcileBatchModel() {
    try {
      if (reconciler.reconcile(UsageRecordFactory.BATCH_MODEL, RECONCILE_SLOW_STEP)) {
        log.println("[reconciler] corrected totals of " + UsageRecordFactory.BATCH_MODEL
            + " from the ledger");
      }
      reconciliations.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // A failed run is retried at the next tick; the service keeps taking usage.
      log.println("[reconciler] failed: " + e);
    }
  }
}
