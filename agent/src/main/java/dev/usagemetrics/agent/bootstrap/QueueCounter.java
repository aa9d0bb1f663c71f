package dev.usagemetrics.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The configured queues' size: the sum of one {@link QueueCell} per thread that ever changed it.
 *
 * <p>Threads count into their own cell without synchronizing with each other; the cells are
 * summed when the gauge is read. Cells of terminated threads are folded into one sum (at each
 * read, and whenever the number of cells has doubled since the last fold), so thread churn
 * neither keeps memory nor loses counts.
 *
 * <p>Virtual threads count into one {@link LongAdder} (striped by the JDK as contention requires)
 * through cells that are not registered: a virtual thread takes no lock and leaves nothing behind.
 *
 * <p>A thread finds its cell by its id in {@link #cellsById}, a few dependent loads, without the
 * thread-local lookup, whose cost depends on how many other thread-locals the application's
 * threads hold and on how their hashes collide. A thread whose slot another live thread holds
 * (ids equal modulo the table size) uses its thread-local instead.
 */
public final class QueueCounter {

  /** Cells held before the first fold on registration: a handful of threads never pays for one. */
  private static final int MIN_FOLD_THRESHOLD = 64;

  /** Slots of {@link #cellsById}: a power of two, more than the threads most applications run. */
  private static final int ID_SLOTS = 4096;

  /**
   * Cells by thread id modulo {@link #ID_SLOTS}. Written under this lock, read without it: a reader
   * sees null, an older cell or the current one, and uses a cell only if its final {@code ownerId}
   * is the reader's own id.
   */
  private final QueueCell[] cellsById = new QueueCell[ID_SLOTS];

  /** What virtual threads added minus what they took. */
  private final LongAdder virtualThreadCounts = new LongAdder();

  // Guarded by this. Touched once per platform thread and once per read, never per operation.
  private final List<QueueCell> cells = new ArrayList<>();
  private long terminatedThreadsSum;
  private int foldThreshold = MIN_FOLD_THRESHOLD;

  /** The cell of the thread with id {@code threadId} if its slot holds it, else null (then see {@link #register}). */
  QueueCell cellOf(long threadId) {
    return cellOf(cellsById, threadId);
  }

  /**
   * The table {@link #cellOf(QueueCell[], long)} reads, for a caller that keeps it in a static final
   * field: the JIT then folds the reference in, one load less per operation.
   */
  QueueCell[] cellsById() {
    return cellsById;
  }

  /** The cell in {@code cellsById} of the thread with id {@code threadId}, or null. */
  static QueueCell cellOf(QueueCell[] cellsById, long threadId) {
    QueueCell cell = cellsById[slotOf(threadId)];
    return cell != null && cell.ownerId == threadId ? cell : null;
  }

  /**
   * A new cell for the calling thread, which keeps it (in a thread-local) and alone writes it. A
   * platform thread's is registered, and put in the thread's slot unless another live thread holds
   * that; a virtual thread's is neither.
   */
  QueueCell newCell() {
    Thread current = Thread.currentThread();
    return UsageMetricsBridge.isVirtual(current) ? new QueueCell(current, virtualThreadCounts) : register();
  }

  /** A new registered cell for the calling (platform) thread. */
  synchronized QueueCell register() {
    if (cells.size() >= foldThreshold) {
      foldTerminated();
      foldThreshold = Math.max(MIN_FOLD_THRESHOLD, 2 * cells.size());
    }
    QueueCell cell = new QueueCell(Thread.currentThread());
    cells.add(cell);
    int slot = slotOf(cell.ownerId);
    if (cellsById[slot] == null || cellsById[slot].ownerTerminated()) {
      cellsById[slot] = cell;
    }
    return cell;
  }

  /**
   * The sum of every thread's changes. Exact for every change that happened-before this call
   * (a terminated or joined thread's, the calling thread's); a change racing it may be missed
   * and then shows at the next read.
   */
  public synchronized long sum() {
    foldTerminated();
    long sum = terminatedThreadsSum + virtualThreadCounts.sum();
    for (QueueCell cell : cells) {
      sum += cell.count();
    }
    return sum;
  }

  /** The cells held: live threads' and terminated ones' not folded yet. */
  synchronized int cellCount() {
    return cells.size();
  }

  private void foldTerminated() {
    for (int i = cells.size() - 1; i >= 0; i--) {
      QueueCell cell = cells.get(i);
      if (cell.ownerTerminated()) {
        terminatedThreadsSum += cell.count();
        int slot = slotOf(cell.ownerId);
        if (cellsById[slot] == cell) {
          cellsById[slot] = null;
        }
        QueueCell last = cells.remove(cells.size() - 1);
        if (i < cells.size()) {
          cells.set(i, last);
        }
      }
    }
  }

  private static int slotOf(long threadId) {
    return (int) threadId & (ID_SLOTS - 1);
  }
}
