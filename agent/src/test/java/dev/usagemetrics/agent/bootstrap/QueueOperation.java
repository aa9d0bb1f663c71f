package dev.usagemetrics.agent.bootstrap;

/** One queue operation on the bridge as the inlined advice runs it: the cell is fetched once, for enter and exit. */
public final class QueueOperation {

  private final int kind;
  private final Object queue;
  private final QueueCell cell;
  /** What the enter advice returned. */
  public final long state;

  private QueueOperation(int kind, Object queue) {
    this.kind = kind;
    this.queue = queue;
    this.cell = UsageMetricsBridge.queueCell(kind, queue);
    this.state = UsageMetricsBridge.enterQueueOperation(kind, cell, queue);
  }

  /** The enter advice of an operation of {@code kind} (a {@link UsageMetricsBridge} constant) on {@code queue}. */
  public static QueueOperation enter(int kind, Object queue) {
    return new QueueOperation(kind, queue);
  }

  /** The exit advice: the operation returned {@code returned} or threw {@code thrown}. */
  public void exit(Object returned, Throwable thrown) {
    UsageMetricsBridge.exitQueueOperation(kind, cell, state, queue, returned, thrown);
  }
}
