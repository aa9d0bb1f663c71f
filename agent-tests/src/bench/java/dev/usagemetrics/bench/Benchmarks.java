package dev.usagemetrics.bench;

import java.util.List;

/** The benchmark names ({@code Class.method}) the suite runs and reports. */
final class Benchmarks {

  static final String PERSIST = "PersistBenchmark.persist";
  static final String THROWING_PREALLOCATED = "ThrowingPersistBenchmark.throwingPreallocated";
  static final String THROWING_FRESH = "ThrowingPersistBenchmark.throwingFresh";
  static final String THROWING_FRESH_DEEP = "ThrowingPersistBenchmark.throwingFreshDeep";
  static final String QUEUE = "QueueBenchmark.offerPoll";
  static final String JDK_DEQUE = "QueueBenchmark.jdkDequeOfferPoll";
  static final String FLOOR_ROOT_CONTEXT = "HistogramFloorBenchmark.recordRootContext";
  static final String FLOOR_CURRENT_CONTEXT = "HistogramFloorBenchmark.recordCurrentContext";

  /** Run for every flavor at one thread, after persist (which also runs at two). */
  static final List<String> OTHERS = List.of(THROWING_PREALLOCATED, THROWING_FRESH, THROWING_FRESH_DEEP, QUEUE, JDK_DEQUE);

  private Benchmarks() {}

  /** The floor, run without agent: both variants at one thread, the agent's variant at two. */
  static List<String> floor(int threads) {
    return threads == 1 ? List.of(FLOOR_ROOT_CONTEXT, FLOOR_CURRENT_CONTEXT) : List.of(FLOOR_ROOT_CONTEXT);
  }
}
