package com.example.llmusage;

import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;

/**
 * Outcome counts as the application itself saw them, classified by exception type, and the
 * one-line machine-readable summary printed at exit.
 */
public final class WorkloadReport {
  private final long calls;
  private final long success;
  private final long validation;
  private final long timeout;
  private final long duplicate;
  private final long other;
  private final long asyncCalls;
  private final long asyncFailures;
  private final long queueRemaining;
  private final long rejectedOffers;

  private WorkloadReport(
      UsageIntake intake, long asyncCalls, long asyncFailures, PendingUsageQueue queue) {
    OutcomeTally outcomes = intake.outcomes();
    this.calls = intake.calls();
    this.success = outcomes.successes();
    this.validation = outcomes.failuresOf(InvalidUsageRecordException.class);
    this.timeout = outcomes.failuresOf(SQLTimeoutException.class);
    this.duplicate = outcomes.failuresOf(SQLIntegrityConstraintViolationException.class);
    this.other = outcomes.failuresOf(Throwable.class) - validation - timeout - duplicate;
    this.asyncCalls = asyncCalls;
    this.asyncFailures = asyncFailures;
    this.queueRemaining = queue.size();
    this.rejectedOffers = intake.rejectedOffers();
  }

  public static WorkloadReport of(
      UsageIntake intake, long asyncCalls, long asyncFailures, PendingUsageQueue queue) {
    return new WorkloadReport(intake, asyncCalls, asyncFailures, queue);
  }

  /** The summary line tests parse; its format is a contract. */
  public String line() {
    return "WORKLOAD " + outcomeCounts()
        + " async_calls=" + asyncCalls
        + " async_failures=" + asyncFailures
        + " queue_remaining=" + queueRemaining
        + " rejected_offers=" + rejectedOffers;
  }

  /** A human progress line for the service workload. */
  public String progressLine(long elapsedSeconds, int peakQueue, long reconciliations) {
    return "[service " + elapsedSeconds + "s] " + outcomeCounts()
        + " queue=" + queueRemaining
        + " queue_peak=" + peakQueue
        + " rejected_offers=" + rejectedOffers
        + " reconciliations=" + reconciliations;
  }

  private String outcomeCounts() {
    return "calls=" + calls
        + " success=" + success
        + " validation=" + validation
        + " timeout=" + timeout
        + " duplicate=" + duplicate
        + " other=" + other;
  }
}
