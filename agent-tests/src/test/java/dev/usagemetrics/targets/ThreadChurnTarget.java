package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Persist calls from many short-lived threads: {@code waves} waves of {@code threads} platform
 * threads that each make {@code calls} calls and end, then (where the JVM has them, Java 21+)
 * {@code virtualThreads} virtual threads, all started at once, that each make {@code virtualCalls}
 * calls, yielding their carrier between calls (as a thread waiting for I/O would, so they move
 * between carriers mid-way), and end. Each thread also adds two elements to a {@link Pending}
 * queue (one through {@code add}, which calls {@code offer}: one operation, counted once) and takes
 * one. Prints {@code CHURN ...} with what the application counted, the queue's size, whether
 * virtual threads ran, and the Java version.
 */
public final class ThreadChurnTarget {

  private ThreadChurnTarget() {}

  public static void main(String[] args) throws Exception {
    int waves = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    int virtualThreadCount = Integer.parseInt(args[3]);
    int virtualCalls = Integer.parseInt(args[4]);
    LoadTarget.Ledger ledger = new LoadTarget.Ledger();
    Pending pending = new Pending();
    OutcomeTally total = new OutcomeTally();
    for (int wave = 0; wave < waves; wave++) {
      Thread[] running = new Thread[threads];
      OutcomeTally[] tallies = new OutcomeTally[threads];
      for (int t = 0; t < threads; t++) {
        tallies[t] = new OutcomeTally();
        OutcomeTally tally = tallies[t];
        int offset = wave * threads + t;
        running[t] = new Thread(() -> persistAll(ledger, pending, calls, offset, tally, false));
        running[t].start();
      }
      for (int t = 0; t < threads; t++) {
        running[t].join();
        total.add(tallies[t]);
      }
    }
    ExecutorService virtualThreads = newVirtualThreadPerTaskExecutor();
    if (virtualThreads != null) {
      OutcomeTally[] tallies = new OutcomeTally[virtualThreadCount];
      for (int task = 0; task < virtualThreadCount; task++) {
        tallies[task] = new OutcomeTally();
        OutcomeTally tally = tallies[task];
        int offset = task;
        virtualThreads.execute(
            () -> persistAll(ledger, pending, virtualCalls, offset, tally, true));
      }
      virtualThreads.shutdown();
      if (!virtualThreads.awaitTermination(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("virtual threads did not finish");
      }
      for (OutcomeTally tally : tallies) {
        total.add(tally);
      }
    }
    System.out.println("CHURN calls=" + total.calls() + " " + total + " pending=" + pending.size()
        + " virtual=" + (virtualThreads != null ? 1 : 0)
        + " java=" + Runtime.version().feature());
  }

  private static void persistAll(
      LoadTarget.Ledger ledger,
      Pending pending,
      int calls,
      int offset,
      OutcomeTally tally,
      boolean yieldBetweenCalls) {
    pending.add(offset);
    pending.offer(offset);
    pending.poll();
    for (int i = 0; i < calls; i++) {
      if (yieldBetweenCalls && i > 0) {
        Thread.yield();
      }
      try {
        ledger.persist(SyntheticFailures.outcomeOf(i + offset));
        tally.count(SyntheticFailures.SUCCESS);
      } catch (SQLException | IllegalArgumentException failure) {
        tally.count(SyntheticFailures.outcomeOfFailure(failure));
      }
    }
  }

  /** A configured queue whose {@code add} calls its {@code offer}, both configured: the outer call alone counts. */
  public static final class Pending {
    private final ConcurrentLinkedQueue<Object> elements = new ConcurrentLinkedQueue<>();

    public boolean offer(Object element) {
      return elements.offer(element);
    }

    public boolean add(Object element) {
      return offer(element);
    }

    public Object poll() {
      return elements.poll();
    }

    public int size() {
      return elements.size();
    }
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21+, else null (this class compiles for Java 17). */
  private static ExecutorService newVirtualThreadPerTaskExecutor()
      throws ReflectiveOperationException {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException beforeJava21) {
      return null;
    }
  }
}
