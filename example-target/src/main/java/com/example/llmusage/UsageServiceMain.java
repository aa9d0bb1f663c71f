package com.example.llmusage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the usage service under a generated workload and prints one {@code WORKLOAD} summary line
 * to stdout. See {@link WorkloadOptions#USAGE} for the flags.
 */
public final class UsageServiceMain {
  private static final long RECORD_SEED = 7;

  private UsageServiceMain() {}

  public static void main(String[] args) throws Exception {
    WorkloadOptions options;
    try {
      options = WorkloadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(WorkloadOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      System.out.println(WorkloadOptions.USAGE);
      return;
    }
    long startNanos = System.nanoTime();

    JdbcUsageRepository repository = new JdbcUsageRepository(options.dbUrl, options.lockTimeout);
    PendingUsageQueue queue = new PendingUsageQueue(options.queueCapacity);
    AsyncUsageWriter writer = null;
    UsageIntake intake;
    if (options.mode == WorkloadOptions.Mode.QUEUE) {
      writer = new AsyncUsageWriter(queue, repository, options.writers);
      writer.start();
      intake = UsageIntake.queued(queue, writer);
    } else {
      intake = UsageIntake.direct(repository);
    }
    UsageRecordFactory factory = new UsageRecordFactory(RECORD_SEED);
    BillingReconciler reconciler = new BillingReconciler(options.dbUrl);

    Thread.sleep(options.startDelay.toMillis());
    List<UsageRecord> committed;
    if (options.serviceMode()) {
      ServiceWorkload service = new ServiceWorkload(
          intake, factory, reconciler, queue, options.threads, options.rate, System.err);
      if (options.duration.isZero()) {
        reportOnShutdown(service, writer, intake, queue);
      }
      service.run(options.duration);
      committed = List.of();
    } else {
      FixedWorkload fixed = new FixedWorkload(intake, factory, reconciler, options.threads);
      fixed.run(options.successes(), options.invalid, options.timeouts, options.duplicates);
      committed = fixed.committedRecords();
    }

    OutcomeTally asyncOutcomes =
        runAsyncCalls(repository, factory, committed, options.asyncCalls, options.asyncFailures);

    intake.awaitSettled();
    if (writer != null) {
      // Nothing is queued any more, so stopping now leaves exactly what we offer below.
      writer.stopNow();
    }
    for (int i = 0; i < options.leavePending; i++) {
      if (!queue.offer(factory.valid())) {
        throw new IllegalStateException("pending queue refused record " + (i + 1));
      }
    }
    repository.close();

    WorkloadReport report = WorkloadReport.of(
        intake, options.asyncCalls, asyncOutcomes.failuresOf(Throwable.class), queue);
    System.err.printf(
        "[summary] mode=%s threads=%d elapsed=%.2fs failures=%s async_failures=%s%n",
        options.mode.name().toLowerCase(Locale.ROOT),
        options.threads,
        (System.nanoTime() - startNanos) / 1e9,
        intake.outcomes().failuresByType(),
        asyncOutcomes.failuresByType());
    System.out.println(report.line());
    Thread.sleep(options.linger.toMillis());
    if (options.exit == WorkloadOptions.Exit.SYSTEM_EXIT) {
      System.exit(0);
    }
  }

  /**
   * Makes {@code calls} persistAsync calls: first the fresh records, then {@code failures}
   * retries of records known to be stored, which must fail on the primary key.
   */
  private static OutcomeTally runAsyncCalls(
      UsageRepository repository,
      UsageRecordFactory factory,
      List<UsageRecord> committed,
      int calls,
      int failures) {
    OutcomeTally outcomes = new OutcomeTally();
    List<UsageRecord> fresh = new ArrayList<>();
    List<CompletableFuture<Void>> firstWave = new ArrayList<>();
    for (int i = 0; i < calls - failures; i++) {
      UsageRecord record = factory.valid();
      fresh.add(record);
      firstWave.add(track(repository.persistAsync(record), outcomes));
    }
    awaitAll(firstWave);

    List<UsageRecord> stored = new ArrayList<>(committed);
    for (int i = 0; i < fresh.size(); i++) {
      if (!firstWave.get(i).isCompletedExceptionally()) {
        stored.add(fresh.get(i));
      }
    }
    List<CompletableFuture<Void>> retries = new ArrayList<>();
    for (int i = 0; i < failures && !stored.isEmpty(); i++) {
      UsageRecord retry = factory.retryOf(stored.get(i % stored.size()));
      retries.add(track(repository.persistAsync(retry), outcomes));
    }
    awaitAll(retries);
    return outcomes;
  }

  /** The returned stage completes only after the outcome has been counted. */
  private static CompletableFuture<Void> track(
      CompletableFuture<Void> call, OutcomeTally outcomes) {
    // On the repository's own future, the failure is the exception persist threw itself.
    return call.whenComplete((ignored, failure) -> {
      if (failure == null) {
        outcomes.recordSuccess();
      } else {
        outcomes.recordFailure(failure);
      }
    });
  }

  private static void awaitAll(List<CompletableFuture<Void>> calls) {
    for (CompletableFuture<Void> call : calls) {
      call.handle((ignored, failure) -> null).join();
    }
  }

  /** With no end set, the service runs until killed: report what it did on the way out. */
  private static void reportOnShutdown(
      ServiceWorkload service,
      AsyncUsageWriter writer,
      UsageIntake intake,
      PendingUsageQueue queue) {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(
            () -> {
              try {
                service.stop();
                writer.stopNow();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              System.out.println(WorkloadReport.of(intake, 0, 0, queue).line());
            },
            "usage-report-on-shutdown"));
  }
}
