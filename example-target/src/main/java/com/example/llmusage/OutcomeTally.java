package com.example.llmusage;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The application's own bookkeeping of persist outcomes: successes, and failures counted per
 * exception class. Safe for concurrent use by many writer or producer threads.
 */
public final class OutcomeTally {
  private final LongAdder successes = new LongAdder();
  private final Map<Class<? extends Throwable>, LongAdder> failures = new ConcurrentHashMap<>();

  public void recordSuccess() {
    successes.increment();
  }

  public void recordFailure(Throwable failure) {
    failures.computeIfAbsent(failure.getClass(), type -> new LongAdder()).increment();
  }

  public long successes() {
    return successes.sum();
  }

  /** Failures whose exception is {@code type} or a subclass of it. */
  public long failuresOf(Class<? extends Throwable> type) {
    long count = 0;
    for (Map.Entry<Class<? extends Throwable>, LongAdder> entry : failures.entrySet()) {
      if (type.isAssignableFrom(entry.getKey())) {
        count += entry.getValue().sum();
      }
    }
    return count;
  }

  /** Failure counts keyed by exception class name, sorted for stable output. */
  public Map<String, Long> failuresByType() {
    Map<String, Long> snapshot = new TreeMap<>();
    failures.forEach((type, count) -> snapshot.put(type.getName(), count.sum()));
    return snapshot;
  }
}
