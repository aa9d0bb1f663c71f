package dev.usagemetrics.agent.bootstrap;

/**
 * The single static entry point that inlined advice calls.
 *
 * <p>Injected into the bootstrap class path (one copy per JVM), so it is also the place that
 * remembers whether an agent is already installed. It keeps a per-thread call depth so that a
 * configured method calling another configured method (an override calling {@code super}, a
 * facade calling its delegate) counts as ONE logical call. Nothing here may throw into the
 * application: every sink call is guarded.
 */
public final class UsageMetricsBridge {

  /** Returned by {@link #enterPersist()} for a call nested inside another timed call. */
  public static final long NESTED = Long.MIN_VALUE;

  /** Direction of a queue operation; also its effect on the queue size. */
  public static final int ENQUEUE = 1;

  public static final int DEQUEUE = -1;

  private static final ThreadLocal<int[]> PERSIST_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final ThreadLocal<int[]> QUEUE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  private static volatile UsageMetricsSink sink;
  private static boolean installationClaimed;

  private UsageMetricsBridge() {}

  /**
   * Claims this JVM for one agent installation. Returns false when an agent (from any attach or
   * {@code -javaagent}) already claimed it, so a second installation never double counts.
   */
  public static synchronized boolean claimInstallation() {
    if (installationClaimed) {
      return false;
    }
    installationClaimed = true;
    return true;
  }

  /** Connects the advice to the agent's recorder. */
  public static void connect(UsageMetricsSink newSink) {
    sink = newSink;
  }

  /** Start of a persist call: its start time, or {@link #NESTED} when an outer call is timed. */
  public static long enterPersist() {
    int[] depth = PERSIST_DEPTH.get();
    if (depth[0]++ > 0) {
      return NESTED;
    }
    return System.nanoTime();
  }

  /** End of a synchronous persist call; {@code thrown} is null on a normal return. */
  public static void exitPersist(long startNanos, Throwable thrown) {
    if (leavePersist(startNanos)) {
      long durationNanos = System.nanoTime() - startNanos;
      UsageMetricsSink current = sink;
      if (current == null) {
        return;
      }
      try {
        if (thrown == null) {
          current.persistSucceeded(durationNanos);
        } else {
          current.persistFailed(durationNanos, thrown);
        }
      } catch (Throwable ignored) {
        // An agent failure must never reach the application.
      }
    }
  }

  /**
   * End of a persist call declared to return a {@code CompletionStage}: a returned stage is timed
   * until it completes; a throw or a null return is recorded now.
   */
  public static void exitAsyncPersist(long startNanos, Object returned, Throwable thrown) {
    if (returned == null || thrown != null) {
      exitPersist(startNanos, thrown);
      return;
    }
    if (leavePersist(startNanos)) {
      UsageMetricsSink current = sink;
      if (current == null) {
        return;
      }
      try {
        current.persistReturnedStage(startNanos, returned);
      } catch (Throwable ignored) {
        // An agent failure must never reach the application.
      }
    }
  }

  /** Unwinds the call depth; true when this was the outermost, timed call. */
  private static boolean leavePersist(long startNanos) {
    int[] depth = PERSIST_DEPTH.get();
    if (depth[0] > 0) {
      depth[0]--;
    }
    return startNanos != NESTED;
  }

  /**
   * Start of a queue operation. Returns false for an operation nested in another one on the same
   * thread (a JDK {@code add} calling {@code offer}), which must not count again.
   */
  public static boolean enterQueueOperation() {
    return QUEUE_DEPTH.get()[0]++ == 0;
  }

  /**
   * End of a queue operation. An {@link #ENQUEUE} counts +1 when it succeeded ({@code offer}
   * returned true, a void {@code put} returned normally); a {@link #DEQUEUE} counts -1 when it
   * returned an element. Rejected offers, empty polls and throws change nothing.
   */
  public static void exitQueueOperation(
      int direction, boolean outermost, Object queue, Object returned, Throwable thrown) {
    leaveQueueOperation();
    if (!outermost || thrown != null) {
      return;
    }
    boolean changed = direction == ENQUEUE ? !Boolean.FALSE.equals(returned) : returned != null;
    if (changed) {
      queueChanged(queue, direction);
    }
  }

  private static void leaveQueueOperation() {
    int[] depth = QUEUE_DEPTH.get();
    if (depth[0] > 0) {
      depth[0]--;
    }
  }

  private static void queueChanged(Object queue, long delta) {
    UsageMetricsSink current = sink;
    if (current == null) {
      return;
    }
    try {
      current.queueChanged(queue, delta);
    } catch (Throwable ignored) {
      // An agent failure must never reach the application.
    }
  }
}
