package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A purpose-built target that makes the agent's recording fail from inside, through ordinary
 * application objects whose methods the agent calls: exceptions whose {@code getCause()} or
 * {@code getSQLState()} throw, a cause cycle, an endless cause chain, a future whose
 * {@code whenComplete} throws, a queue whose {@code size()} throws. Between them run healthy
 * calls. Every call checks that the application got exactly its own result (the same object
 * back, the very exception thrown, no exception of the agent's).
 *
 * <p>Prints {@code SAFETY mismatches=.. success=.. validation=.. timeout=.. db_error=..
 * queue_size=.. unobservable=..}: the outcome counts the agent should export (healthy and
 * unusual exceptions alike, each by the type the shipped rules give it), the healthy queue's
 * size, and how many calls returned a future the agent cannot observe.
 */
public final class HostSafetyTarget {

  /** The configured persist target. */
  public static class Store {
    public Object save(Object record) {
      return record;
    }

    public void fail(Exception failure) throws Exception {
      throw failure;
    }

    public CompletionStage<Object> saveAsync(CompletableFuture<Object> pending) {
      return pending;
    }
  }

  /** The configured healthy queue. */
  public static final class Backlog {
    private final ArrayDeque<Object> records = new ArrayDeque<>();

    public synchronized boolean offer(Object record) {
      return records.offer(record);
    }

    public synchronized Object poll() {
      return records.poll();
    }

    public synchronized int size() {
      return records.size();
    }
  }

  /** A configured queue that cannot tell its size (some concurrent structures cannot), cleared with {@code clear()}. */
  public static final class SizelessQueue extends AbstractQueue<Object> {
    @Override
    public int size() {
      throw new UnsupportedOperationException("this queue does not know its size");
    }

    @Override
    public Iterator<Object> iterator() {
      return Collections.emptyIterator();
    }

    @Override
    public boolean offer(Object record) {
      return false;
    }

    @Override
    public Object poll() {
      return null;
    }

    @Override
    public Object peek() {
      return null;
    }
  }

  /** A future the agent cannot observe: registering a callback throws. */
  static final class UnobservableFuture extends CompletableFuture<Object> {
    @Override
    public CompletableFuture<Object> whenComplete(
        BiConsumer<? super Object, ? super Throwable> action) {
      throw new IllegalStateException("callbacks are not supported here");
    }
  }

  static final class UnreadableCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("getCause() is broken");
    }
  }

  static final class UnreadableState extends SQLException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getSQLState() {
      throw new IllegalStateException("getSQLState() is broken");
    }
  }

  /** A new cause every time it is asked: a chain without end. */
  static final class EndlessCause extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable getCause() {
      return new EndlessCause();
    }
  }

  private final Store store = new Store();
  private final Backlog backlog = new Backlog();
  private final SizelessQueue sizeless = new SizelessQueue();
  private final OutcomeTally expected = new OutcomeTally();
  private long mismatches;
  private long unobservable;

  private HostSafetyTarget() {}

  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    HostSafetyTarget target = new HostSafetyTarget();
    for (int i = 0; i < rounds; i++) {
      target.round(i);
    }
    System.out.println("SAFETY mismatches=" + target.mismatches + " " + target.expected
        + " queue_size=" + target.backlog.size() + " unobservable=" + target.unobservable);
  }

  private void round(int i) {
    // healthy
    Object record = new Object();
    check(store.save(record) == record);
    expected.count(SyntheticFailures.SUCCESS);
    throwAndCatch(new IllegalArgumentException("invalid"), SyntheticFailures.VALIDATION);
    throwAndCatch(new SQLTimeoutException("slow"), SyntheticFailures.TIMEOUT);
    throwAndCatch(new SQLException("broken", "08006"), SyntheticFailures.DB_ERROR);
    CompletableFuture<Object> pending = new CompletableFuture<>();
    check(store.saveAsync(pending) == pending);
    check(pending.complete(record));
    expected.count(SyntheticFailures.SUCCESS);
    check(backlog.offer(record));
    if (i % 2 == 0) {
      check(backlog.poll() != null);
    }

    // unusual objects the agent has to read
    throwAndCatch(new UnreadableCause(), SyntheticFailures.DB_ERROR);
    throwAndCatch(new UnreadableState(), SyntheticFailures.DB_ERROR);
    throwAndCatch(new EndlessCause(), SyntheticFailures.DB_ERROR);
    SQLTimeoutException cycleStart = new SQLTimeoutException("cycle");
    cycleStart.initCause(new RuntimeException(cycleStart));
    throwAndCatch(cycleStart, SyntheticFailures.TIMEOUT);
    UnobservableFuture unobserved = new UnobservableFuture();
    check(store.saveAsync(unobserved) == unobserved);
    unobservable++;
    sizeless.clear(); // returns normally, though the agent cannot measure it
  }

  private void throwAndCatch(Exception failure, int outcome) {
    try {
      store.fail(failure);
      mismatches++;
    } catch (Exception caught) {
      check(caught == failure);
    }
    expected.count(outcome);
  }

  private void check(boolean same) {
    if (!same) {
      mismatches++;
    }
  }
}
