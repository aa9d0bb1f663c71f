package dev.usagemetrics.targets.boot;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeoutException;

/**
 * Loaded by the bootstrap class loader: the test appends this package, alone, to
 * {@code -Xbootclasspath/a}. Its persist calls all time out; its backlog keeps what it is given.
 */
public final class BootWorkload {

  /** Configured queue target, inheriting offer and poll from the JDK like the application's Backlog. */
  public static final class BootBacklog extends ArrayBlockingQueue<Integer> {
    private static final long serialVersionUID = 1L;

    BootBacklog(int capacity) {
      super(capacity);
    }
  }

  /** Configured persist target, method [persist]. */
  public void persist(Object record) throws TimeoutException {
    throw new TimeoutException("no answer for " + record);
  }

  /** Makes {@code calls} persist calls, and leaves {@code leftQueued} elements in a backlog. */
  public void run(int calls, int leftQueued) {
    for (int i = 0; i < calls; i++) {
      try {
        persist(i);
      } catch (TimeoutException expected) {
        // Every call times out.
      }
    }
    BootBacklog backlog = new BootBacklog(leftQueued + 1);
    for (int i = 0; i <= leftQueued; i++) {
      backlog.offer(i);
    }
    backlog.poll();
  }
}
