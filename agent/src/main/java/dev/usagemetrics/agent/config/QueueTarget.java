package dev.usagemetrics.agent.config;

import java.util.List;

/** A queue class whose instances hold pending records, and the methods that add and take them. */
public final class QueueTarget {

  private final String className;
  private final List<String> enqueueMethodNames;
  private final List<String> dequeueMethodNames;

  public QueueTarget(
      String className, List<String> enqueueMethodNames, List<String> dequeueMethodNames) {
    this.className = className;
    this.enqueueMethodNames = List.copyOf(enqueueMethodNames);
    this.dequeueMethodNames = List.copyOf(dequeueMethodNames);
  }

  public String className() {
    return className;
  }

  public List<String> enqueueMethodNames() {
    return enqueueMethodNames;
  }

  public List<String> dequeueMethodNames() {
    return dequeueMethodNames;
  }

  @Override
  public String toString() {
    return className + " enqueue " + enqueueMethodNames + " dequeue " + dequeueMethodNames;
  }
}
