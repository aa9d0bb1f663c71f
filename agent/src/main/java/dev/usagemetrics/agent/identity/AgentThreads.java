package dev.usagemetrics.agent.identity;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The agent's own threads: daemon, few, and named so they are recognisable in a thread dump. */
public final class AgentThreads {

  public static final String NAME_PREFIX = "usage-metrics-";

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private AgentThreads() {}

  public static Thread newThread(String purpose, Runnable body) {
    Thread thread = new Thread(body, NAME_PREFIX + purpose + "-" + COUNTER.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  /** Makes the agent's threads for an executor. */
  public static ThreadFactory factory(String purpose) {
    return body -> newThread(purpose, body);
  }

  /** Runs {@code body} once on a daemon thread after {@code delay}. */
  public static void startDaemonAfter(Duration delay, Runnable body) {
    newThread("delayed", new Delayed(delay, body)).start();
  }

  /** A class, not a lambda: premain starts it (docs/internals.md, "Premain's path"). */
  private static final class Delayed implements Runnable {
    private final Duration delay;
    private final Runnable body;

    Delayed(Duration delay, Runnable body) {
      this.delay = delay;
      this.body = body;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(delay.toMillis());
        body.run();
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
