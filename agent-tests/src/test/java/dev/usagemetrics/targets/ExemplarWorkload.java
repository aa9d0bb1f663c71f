package dev.usagemetrics.targets;

import java.sql.SQLTimeoutException;

/**
 * The persist calls of the exemplar workloads ({@link ExemplarTarget}, {@link ZeroCodeExemplarTarget}):
 * some slow, some failing, some meant to run inside a span and some outside any, ordered so that
 * the slowest and the latest differ from the first and the fastest. Uses no OpenTelemetry class.
 */
public final class ExemplarWorkload {

  /** Configured persist target, method [persist]. */
  public static class Store {
    /** How long the last call's body took: the agent's timing of the call encloses it. */
    private volatile long lastBodyNanos;

    public void persist(long sleepMillis, boolean fail)
        throws SQLTimeoutException, InterruptedException {
      long start = System.nanoTime();
      Thread.sleep(sleepMillis);
      lastBodyNanos = System.nanoTime() - start;
      if (fail) {
        throw new SQLTimeoutException("statement timeout", "57014");
      }
    }
  }

  /** Milliseconds, whether it fails, whether it runs inside a span. */
  static final Object[][] PLAN = {
    {12, false, true},
    {35, false, true},
    {15, false, true},
    {120, false, true},
    {400, false, true},
    {150, false, true},
    {450, false, false},
    {30, false, false},
    {2, true, true},
    {3, true, true},
    {60, true, true},
    {4, true, false},
    {70, true, false},
  };

  private ExemplarWorkload() {}

  static long millis(Object[] call) {
    return ((Number) call[0]).longValue();
  }

  static boolean fails(Object[] call) {
    return (Boolean) call[1];
  }

  static boolean inSpan(Object[] call) {
    return (Boolean) call[2];
  }

  /** Calls {@code store} and describes the call: {@code outcome=success|error nanos=<its body's duration>}. */
  static String call(Store store, long millis, boolean fail) throws InterruptedException {
    String outcome = "success";
    try {
      store.persist(millis, fail);
    } catch (SQLTimeoutException expected) {
      outcome = "error";
    }
    return "outcome=" + outcome + " nanos=" + store.lastBodyNanos;
  }
}
