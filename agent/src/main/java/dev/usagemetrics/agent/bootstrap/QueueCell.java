package dev.usagemetrics.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * One thread's share of the queue gauge, and whether one of its queue operations is in progress.
 * Only the owning thread writes it, so an operation costs plain reads and opaque stores: no CAS,
 * no fence, no lock. {@link QueueCounter} sums the cells when the gauge is read.
 *
 * <p>A virtual thread's cell keeps only the in-progress flag: its counts go straight to a
 * {@link LongAdder} its cell shares with every other virtual thread's, so that virtual threads,
 * which may number millions and end at any time, are neither registered nor kept.
 */
public final class QueueCell extends ThreadCell {

  /** The low bit of {@link #word}. */
  private static final long IN_OPERATION = 1;

  private static final VarHandle WORD;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(QueueCell.class, "word", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * The elements the owner added minus those it took, times two, plus {@link #IN_OPERATION} while
   * an operation of the owner runs (only the outermost one counts). One word, so an operation
   * writes it once when it starts and once when it ends.
   */
  private long word;

  /** Where a virtual thread's counts go; null in a platform thread's cell, which counts in {@link #word}. */
  private final LongAdder virtualThreadCounts;

  /** A platform thread's cell. */
  QueueCell(Thread owner) {
    this(owner, null);
  }

  /** A cell for {@code owner}, counting into {@code virtualThreadCounts} if that is not null. */
  QueueCell(Thread owner, LongAdder virtualThreadCounts) {
    super(owner);
    this.virtualThreadCounts = virtualThreadCounts;
  }

  /**
   * By the owner: starts an operation, counting {@code delta} at once; false, writing nothing,
   * inside another operation. Opaque stores are never torn and never kept in a register, and
   * cost what a plain store costs.
   */
  boolean begin(long delta) {
    long current = word;
    if ((current & IN_OPERATION) != 0) {
      return false;
    }
    if (virtualThreadCounts == null) {
      WORD.setOpaque(this, (current | IN_OPERATION) + 2 * delta);
    } else {
      word = current | IN_OPERATION;
      addVirtual(delta);
    }
    return true;
  }

  /** By the owner: ends the operation {@link #begin} started, counting {@code delta}. */
  void end(long delta) {
    if (virtualThreadCounts == null) {
      WORD.setOpaque(this, (word & ~IN_OPERATION) + 2 * delta);
    } else {
      word &= ~IN_OPERATION;
      addVirtual(delta);
    }
  }

  private void addVirtual(long delta) {
    if (delta != 0) {
      virtualThreadCounts.add(delta);
    }
  }

  /**
   * From any thread: the count as last written. It includes every change that happened-before
   * this call, in particular all of a thread that {@link #ownerEnded() ended}.
   */
  long count() {
    return (long) WORD.getOpaque(this) >> 1;
  }
}
