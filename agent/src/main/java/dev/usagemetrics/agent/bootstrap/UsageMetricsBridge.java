package dev.usagemetrics.agent.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The single static entry point that inlined advice calls.
 *
 * <p>Injected into the bootstrap class loader (one copy per JVM), so it is also the place that
 * remembers whether an agent is already installed, and it holds the queue gauge's count itself
 * (the queue path makes no call into the agent). It keeps per-thread state so that a configured
 * method calling another configured method (an override calling {@code super}, a facade calling
 * its delegate, a JDK {@code add} calling {@code offer}) counts as ONE logical call. Nothing here
 * may throw into the application: every sink call is guarded.
 */
public final class UsageMetricsBridge {

  /** Returned by {@link #enterPersist} and {@link #enterQueueOperation} inside another timed or counted call. */
  public static final long NESTED = Long.MIN_VALUE;

  /** Returned by {@link #enterQueueOperation} for a queue that is not configured. */
  public static final long NOT_TRACKED = Long.MIN_VALUE + 1;

  // Queue operation kinds, bound into the advice per instrumented method.

  /** Adds one element unless it returns false ({@code offer}, {@code add}, {@code put}). */
  public static final int ADDS_ONE = 1;

  /** Removes one element when it returns one or true ({@code poll}, {@code take}, {@code remove}). */
  public static final int REMOVES_ONE = 2;

  /** Removes as many elements as it returns ({@code drainTo}). */
  public static final int REMOVES_COUNT = 3;

  /** Changes the size by any amount ({@code clear}, {@code removeIf}, ...): measured as size after minus before. */
  public static final int CHANGES_SIZE = 4;

  /**
   * Flag added to a kind when the advice sits in a class that unconfigured queues share (a JDK
   * class instrumented after a runtime attach): only then is the instance's type checked.
   * Everywhere else the advice is only in configured classes, so the check would be wasted.
   */
  public static final int IN_SHARED_CLASS = 0x100;

  private static final ThreadLocal<int[]> PERSIST_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** The configured queues' size, counted from the first instrumented operation in this JVM. */
  private static final QueueCounter QUEUE_COUNTER = new QueueCounter();

  /** Where a thread finds its queue cell by its id; constant (static final), so the JIT folds it in. */
  private static final QueueCell[] QUEUE_CELLS_BY_ID = QUEUE_COUNTER.cellsById();

  /** {@code Thread.isVirtual()} where the JVM has it (Java 21+), else null. */
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

  private static volatile UsageMetricsSink sink;
  private static boolean installationClaimed;

  static {
    // Loads the cell classes now, when the agent installs, never inside advice (which may run
    // while the JVM is loading another class).
    QUEUE_COUNTER.currentCell();
  }

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

  /** Whether {@code thread} is a virtual thread (never before Java 21). The agent's metrics ask here too: one copy. */
  public static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable unexpected) {
      return false;
    }
  }

  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (ReflectiveOperationException beforeJava21) {
      return null;
    }
  }

  /** Connects the advice to the agent's recorder. */
  public static void connect(UsageMetricsSink newSink) {
    sink = newSink;
  }

  /**
   * The calling thread's persist call depth. The advice fetches it once per call and hands it to
   * {@link #enterPersist} and the exit, so a call costs one thread-local lookup, not two.
   */
  public static int[] persistDepth() {
    return PERSIST_DEPTH.get();
  }

  /**
   * The configured queues' size: every element counted in, minus every element counted out, by
   * any thread since the first instrumented operation. Read by the gauge at each collection.
   */
  public static long queueSize() {
    return QUEUE_COUNTER.sum();
  }

  /** Start of a persist call: its start time, or {@link #NESTED} when an outer call is timed. */
  public static long enterPersist(int[] depth) {
    if (depth[0]++ > 0) {
      return NESTED;
    }
    return System.nanoTime();
  }

  /**
   * End of a synchronous persist call to a method of {@code caller}; {@code thrown} is null on a
   * normal return.
   */
  public static void exitPersist(int[] depth, long startNanos, Throwable thrown, Class<?> caller) {
    if (leavePersist(depth, startNanos)) {
      long durationNanos = System.nanoTime() - startNanos;
      UsageMetricsSink current = sink;
      if (current == null) {
        return;
      }
      try {
        if (thrown == null) {
          current.persistSucceeded(durationNanos, caller);
        } else {
          current.persistFailed(durationNanos, thrown, caller);
        }
      } catch (Throwable problem) {
        recordingFailed(current, problem);
      }
    }
  }

  /**
   * End of a persist call declared to return a {@code CompletionStage}: a returned stage is timed
   * until it completes; a throw or a null return is recorded now.
   */
  public static void exitAsyncPersist(
      int[] depth, long startNanos, Object returned, Throwable thrown, Class<?> caller) {
    if (returned == null || thrown != null) {
      exitPersist(depth, startNanos, thrown, caller);
      return;
    }
    if (leavePersist(depth, startNanos)) {
      UsageMetricsSink current = sink;
      if (current == null) {
        return;
      }
      try {
        current.persistReturnedStage(startNanos, returned);
      } catch (Throwable problem) {
        recordingFailed(current, problem);
      }
    }
  }

  /**
   * Unwinds the call depth; true when this was the outermost, timed call. {@code depth} is null
   * only if the enter advice failed before fetching it: then there is nothing to unwind or record.
   */
  private static boolean leavePersist(int[] depth, long startNanos) {
    if (depth == null) {
      return false;
    }
    if (depth[0] > 0) {
      depth[0]--;
    }
    return startNanos != NESTED;
  }

  /**
   * The calling thread's queue cell for an operation of {@code kind} on {@code queue}, or null for
   * a queue that is not configured (in a shared class every other queue pays only this check).
   * The advice fetches it once per operation and hands it to {@link #enterQueueOperation} and the
   * exit, so an operation costs one lookup by thread id (see {@link ThreadCells}).
   */
  public static QueueCell queueCell(int kind, Object queue) {
    if ((kind & IN_SHARED_CLASS) != 0) {
      UsageMetricsSink current = sink;
      try {
        if (current == null || !current.tracksQueue(queue)) {
          return null;
        }
      } catch (Throwable problem) {
        recordingFailed(current, problem);
        return null;
      }
    }
    return QUEUE_COUNTER.currentCell(QUEUE_CELLS_BY_ID);
  }

  /**
   * Start of a queue operation of {@code kind} on {@code queue}. Returns {@link #NOT_TRACKED} when
   * {@code cell} is null (see {@link #queueCell}), {@link #NESTED} inside another operation on the
   * same thread (a JDK {@code add} calling {@code offer}: counted once, by the outer one), otherwise
   * the state {@link #exitQueueOperation} needs: the size before a {@link #CHANGES_SIZE} operation,
   * else 0.
   */
  public static long enterQueueOperation(int kind, QueueCell cell, Object queue) {
    if (cell == null) {
      return NOT_TRACKED;
    }
    int operation = kind & ~IN_SHARED_CLASS;
    // An add is counted before the element becomes visible, so a consumer's -1 is never written
    // before its +1 (the gauge never shows an element taken that was not added); a rejected
    // offer takes it back on exit.
    if (!cell.begin(operation == ADDS_ONE ? 1 : 0)) {
      return NESTED;
    }
    if (operation != CHANGES_SIZE) {
      return 0;
    }
    try {
      return ((java.util.Collection<?>) queue).size();
    } catch (Throwable problem) {
      // No size before (a queue whose size() throws, or a configured class that is no Collection):
      // this operation's change cannot be measured. Not counted, rather than counted wrong.
      cell.end(0);
      recordingFailed(sink, problem);
      return NOT_TRACKED;
    }
  }

  /** End of a queue operation: counts how many elements it added or removed in the thread's cell. */
  public static void exitQueueOperation(
      int kind, QueueCell cell, long state, Object queue, Object returned, Throwable thrown) {
    if (cell == null || state == NOT_TRACKED) {
      return;
    }
    if (state == NESTED) {
      return;
    }
    long delta;
    try {
      delta = sizeChange(kind & ~IN_SHARED_CLASS, state, queue, returned, thrown);
    } catch (Throwable problem) {
      cell.end(0);
      recordingFailed(sink, problem);
      return;
    }
    cell.end(delta);
  }

  private static long sizeChange(
      int kind, long sizeBefore, Object queue, Object returned, Throwable thrown) {
    if (kind == CHANGES_SIZE) {
      // A bulk operation may have changed the queue even if it threw part-way (removeIf).
      return ((java.util.Collection<?>) queue).size() - sizeBefore;
    }
    boolean failed = thrown != null || Boolean.FALSE.equals(returned);
    switch (kind) {
      case ADDS_ONE:
        return failed ? -1 : 0;
      case REMOVES_ONE:
        return failed || returned == null ? 0 : -1;
      case REMOVES_COUNT:
        return !failed && returned instanceof Number ? -((Number) returned).longValue() : 0;
      default:
        return 0;
    }
  }

  /** Lets the agent report its own failure; an agent failure must never reach the application. */
  private static void recordingFailed(UsageMetricsSink current, Throwable problem) {
    if (current == null) {
      return;
    }
    try {
      current.recordingFailed(problem);
    } catch (Throwable ignored) {
      // Nothing more can be done without risking the application.
    }
  }
}
