package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CyclicBarrier;

/**
 * A purpose-built target under load: {@code THREADS} threads each make {@code CALLS} persist calls
 * with mixed outcomes ({@link SyntheticFailures}) while, on the same threads, half of them offer
 * to a shared bounded {@link Backlog} and the other half poll it. Prints {@code LOAD ...} with
 * what the application counted itself: calls per outcome, accepted offers, records polled, and
 * the backlog's real size at the end.
 */
public final class LoadTarget {

  /** The configured persist target. */
  public static class Ledger {
    public void persist(int outcome) throws SQLException {
      SyntheticFailures.produce(outcome);
    }
  }

  /** The configured queue: wraps an {@link ArrayBlockingQueue} instead of extending it. */
  public static final class Backlog {
    private final ArrayBlockingQueue<Object> records;

    Backlog(int capacity) {
      records = new ArrayBlockingQueue<>(capacity);
    }

    public boolean offer(Object record) {
      return records.offer(record);
    }

    public Object poll() {
      return records.poll();
    }

    public int size() {
      return records.size();
    }
  }

  private LoadTarget() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int calls = Integer.parseInt(args[1]);
    Ledger ledger = new Ledger();
    Backlog backlog = new Backlog(256);
    CyclicBarrier start = new CyclicBarrier(threads);
    OutcomeTally[] tallies = new OutcomeTally[threads];
    long[] queueChanges = new long[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      tallies[t] = new OutcomeTally();
      Thread worker = new Thread(
          () -> {
            awaitQuietly(start);
            boolean producer = index % 2 == 0;
            for (int i = 0; i < calls; i++) {
              try {
                ledger.persist(SyntheticFailures.outcomeOf(i + index));
                tallies[index].count(SyntheticFailures.SUCCESS);
              } catch (SQLException | IllegalArgumentException failure) {
                tallies[index].count(SyntheticFailures.outcomeOfFailure(failure));
              }
              if (producer ? backlog.offer(Integer.valueOf(i)) : backlog.poll() != null) {
                queueChanges[index]++;
              }
            }
          },
          "load-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
    OutcomeTally total = new OutcomeTally();
    long offered = 0;
    long polled = 0;
    for (int t = 0; t < threads; t++) {
      total.add(tallies[t]);
      offered += t % 2 == 0 ? queueChanges[t] : 0;
      polled += t % 2 == 0 ? 0 : queueChanges[t];
    }
    System.out.println("LOAD calls=" + total.calls() + " " + total + " offered=" + offered
        + " polled=" + polled + " queue_size=" + backlog.size());
  }

  private static void awaitQuietly(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
