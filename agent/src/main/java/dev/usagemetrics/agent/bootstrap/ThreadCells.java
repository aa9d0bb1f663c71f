package dev.usagemetrics.agent.bootstrap;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-thread cells, summed when read: the persist totals and the queue counter both count this way.
 * A platform thread counts into a cell of its own, with plain (opaque) stores, no atomic operation
 * and no memory shared with another thread, so counting costs the same at any number of threads.
 *
 * <p>A thread finds its cell by its id in {@link #cellsById}, a few dependent loads, without the
 * thread-local lookup, whose cost depends on how many other thread-locals the application's threads
 * hold and on how their hashes collide. A thread whose slot another live thread holds (ids equal
 * modulo the table size) finds its cell in a thread-local instead.
 *
 * <p>Cells whose owner has ended are folded into the subclass's totals of ended threads
 * ({@link #fold}) at each reading, and when a thread registers once the number of cells has doubled
 * since the last fold (so also when nothing reads): thread churn neither loses counts nor keeps
 * memory, and a cell never keeps its thread alive.
 *
 * <p>Virtual threads, which may number millions and end at any time, are never registered: one that
 * asks for a cell gets one that lives as long as it does, so what it counts must go where the
 * subclass reads it.
 *
 * <p>Registration, folding and reading are guarded by this (the subclass's lock); counting is not.
 */
public abstract class ThreadCells<C extends ThreadCell> {

  /** Cells held before a registration first folds: a handful of threads never pays for it. */
  private static final int MIN_FOLD_AT = 64;

  /** Slots of {@link #cellsById}: a power of two, more than the threads most applications run. */
  private static final int ID_SLOTS = 4096;

  /**
   * Cells by thread id modulo {@link #ID_SLOTS}. Written under this lock, read without it: a reader
   * sees null, an older cell or the current one, and uses a cell only if its final {@code ownerId}
   * is the reader's own id.
   */
  private final C[] cellsById;

  /** Where a thread whose id slot is taken finds its cell (and where every thread gets its first one). */
  private final ThreadLocal<C> threadLocalCells = ThreadLocal.withInitial(this::firstCell);

  // Guarded by this. Touched once per platform thread and once per reading, never per count.
  private final List<C> cells = new ArrayList<>();
  private int foldAt = MIN_FOLD_AT;

  /** {@code cellType}: the class of the cells, so that {@link #cellsById} is an array of exactly that class. */
  @SuppressWarnings("unchecked")
  protected ThreadCells(Class<C> cellType) {
    cellsById = (C[]) Array.newInstance(cellType, ID_SLOTS);
  }

  /** A new cell for {@code owner}, the calling thread; it is registered unless the thread is virtual. */
  protected abstract C newCell(Thread owner);

  /**
   * Adds what the cell of an ended thread holds, all of it visible now, to the totals of ended
   * threads. Guarded by this.
   */
  protected abstract void fold(C ended);

  /** The calling thread's cell, made and (for a platform thread) registered at its first call. */
  public final C currentCell() {
    return currentCell(cellsById);
  }

  /**
   * As {@link #currentCell()}, with {@code cellsById} this registry's {@link #cellsById()} as a caller
   * keeps it in a static final field: the JIT then folds the reference in, one load less per call.
   */
  final C currentCell(C[] cellsById) {
    C cell = cellOf(cellsById, Thread.currentThread().getId());
    return cell != null ? cell : threadLocalCells.get();
  }

  /** The table {@link #currentCell(ThreadCell[])} reads. */
  final C[] cellsById() {
    return cellsById;
  }

  /** The cell in {@code cellsById} of the thread with id {@code threadId}, or null. */
  static <C extends ThreadCell> C cellOf(C[] cellsById, long threadId) {
    C cell = cellsById[slotOf(threadId)];
    return cell != null && cell.ownerId == threadId ? cell : null;
  }

  /**
   * A new registered cell for the calling (platform) thread, put in its id slot unless another live
   * thread holds that.
   */
  protected final synchronized C register() {
    if (cells.size() >= foldAt) {
      foldEnded();
      foldAt = Math.max(MIN_FOLD_AT, 2 * cells.size());
    }
    C cell = newCell(Thread.currentThread());
    cells.add(cell);
    int slot = slotOf(cell.ownerId);
    if (cellsById[slot] == null || cellsById[slot].ownerEnded()) {
      cellsById[slot] = cell;
    }
    return cell;
  }

  /** Folds the cells of ended threads and forgets them. */
  protected final synchronized void foldEnded() {
    for (int i = cells.size() - 1; i >= 0; i--) {
      C cell = cells.get(i);
      if (cell.ownerEnded()) {
        fold(cell);
        int slot = slotOf(cell.ownerId);
        if (cellsById[slot] == cell) {
          cellsById[slot] = null;
        }
        C last = cells.remove(cells.size() - 1);
        if (i < cells.size()) {
          cells.set(i, last);
        }
      }
    }
  }

  /** The cells held: live threads' and ended ones' not folded yet. Guarded by this. */
  protected final List<C> cells() {
    return cells;
  }

  /** How many cells are held, for tests. */
  public final synchronized int cellCount() {
    return cells.size();
  }

  private C firstCell() {
    Thread current = Thread.currentThread();
    return UsageMetricsBridge.isVirtual(current) ? newCell(current) : register();
  }

  private static int slotOf(long threadId) {
    return (int) threadId & (ID_SLOTS - 1);
  }
}
