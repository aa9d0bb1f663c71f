package dev.usagemetrics.agent;

import java.util.concurrent.atomic.AtomicInteger;

/** The agent's own threads: daemon, few, and named so they are recognisable in a thread dump. */
final class AgentThreads {

  static final String NAME_PREFIX = "usage-metrics-";

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private AgentThreads() {}

  static Thread newThread(String purpose, Runnable body) {
    Thread thread = new Thread(body, NAME_PREFIX + purpose + "-" + COUNTER.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  /** An {@link java.util.concurrent.Executor} body: runs {@code body} on a new daemon thread. */
  static void startDaemon(Runnable body) {
    newThread("start", body).start();
  }
}
