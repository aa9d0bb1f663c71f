package dev.usagemetrics.agent.config;

import java.util.List;

/** Methods to time: {@code methodNames} on {@code className} and on every subtype of it. */
public final class PersistTarget {

  private final String className;
  private final List<String> methodNames;

  public PersistTarget(String className, List<String> methodNames) {
    this.className = className;
    this.methodNames = List.copyOf(methodNames);
  }

  public String className() {
    return className;
  }

  public List<String> methodNames() {
    return methodNames;
  }

  @Override
  public String toString() {
    return className + " " + methodNames;
  }
}
