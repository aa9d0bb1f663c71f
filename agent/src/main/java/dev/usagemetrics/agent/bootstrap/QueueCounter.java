package dev.usagemetrics.agent.bootstrap;

import java.util.concurrent.atomic.LongAdder;

/**
 * The configured queues' size: the sum of one {@link QueueCell} per thread that ever changed it
 * (see {@link ThreadCells} for how threads find, and readings fold, their cells).
 *
 * <p>Virtual threads count into one {@link LongAdder} (striped by the JDK as contention requires)
 * through cells that are not registered: a virtual thread takes no lock and leaves nothing behind.
 */
public final class QueueCounter extends ThreadCells<QueueCell> {

  /** What virtual threads added minus what they took. */
  private final LongAdder virtualThreadCounts = new LongAdder();

  /** Guarded by this. */
  private long endedThreadsSum;

  QueueCounter() {
    super(QueueCell.class);
  }

  @Override
  protected QueueCell newCell(Thread owner) {
    return UsageMetricsBridge.isVirtual(owner)
        ? new QueueCell(owner, virtualThreadCounts)
        : new QueueCell(owner);
  }

  @Override
  protected void fold(QueueCell ended) {
    endedThreadsSum += ended.count();
  }

  /**
   * The sum of every thread's changes. Exact for every change that happened-before this call
   * (an ended or joined thread's, the calling thread's); a change racing it may be missed
   * and then shows at the next read.
   */
  public synchronized long sum() {
    foldEnded();
    long sum = endedThreadsSum + virtualThreadCounts.sum();
    for (QueueCell cell : cells()) {
      sum += cell.count();
    }
    return sum;
  }
}
