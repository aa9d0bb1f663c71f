package dev.usagemetrics.agent.bootstrap;

import java.util.ArrayList;
import java.util.List;

/**
 * The configured queues' size: the sum of one {@link QueueCell} per thread that ever changed it.
 *
 * <p>Threads count into their own cell without synchronizing with each other; the cells are
 * summed when the gauge is read. Cells of terminated threads are folded into one sum (at each
 * read, and whenever the number of cells has doubled since the last fold), so thread churn
 * neither keeps memory nor loses counts.
 */
public final class QueueCounter {

  /** Cells held before the first fold on registration: a handful of threads never pays for one. */
  private static final int MIN_FOLD_THRESHOLD = 64;

  // Guarded by this. Touched once per thread and once per read, never per operation.
  private final List<QueueCell> cells = new ArrayList<>();
  private long terminatedThreadsSum;
  private int foldThreshold = MIN_FOLD_THRESHOLD;

  /** A new cell for the calling thread, which keeps it (in a thread-local) and alone writes it. */
  synchronized QueueCell register() {
    if (cells.size() >= foldThreshold) {
      foldTerminated();
      foldThreshold = Math.max(MIN_FOLD_THRESHOLD, 2 * cells.size());
    }
    QueueCell cell = new QueueCell(Thread.currentThread());
    cells.add(cell);
    return cell;
  }

  /**
   * The sum of every thread's changes. Exact for every change that happened-before this call
   * (a terminated or joined thread's, the calling thread's); a change racing it may be missed
   * and then shows at the next read.
   */
  public synchronized long sum() {
    foldTerminated();
    long sum = terminatedThreadsSum;
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
        QueueCell last = cells.remove(cells.size() - 1);
        if (i < cells.size()) {
          cells.set(i, last);
        }
      }
    }
  }
}
