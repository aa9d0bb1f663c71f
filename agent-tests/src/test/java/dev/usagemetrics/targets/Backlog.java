package dev.usagemetrics.targets;

import java.util.concurrent.ArrayBlockingQueue;

/** A configured queue that declares none of its queue methods: all are inherited from the JDK. */
public class Backlog extends ArrayBlockingQueue<Integer> {

  private static final long serialVersionUID = 1L;

  public Backlog(int capacity) {
    super(capacity);
  }
}
