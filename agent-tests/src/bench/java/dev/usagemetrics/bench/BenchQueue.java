package dev.usagemetrics.bench;

import java.util.ArrayDeque;

/**
 * The queue target: a small class wrapping an {@link ArrayDeque}, deliberately not a JDK
 * collection subclass, so the agent counts it through its own {@code offer}/{@code poll}.
 */
public class BenchQueue {

  private final ArrayDeque<Object> pending = new ArrayDeque<>();

  public boolean offer(Object record) {
    return pending.offer(record);
  }

  public Object poll() {
    return pending.poll();
  }
}
