package dev.usagemetrics.agent.identity;

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
}
