package dev.usagemetrics.bench;

import java.util.List;

/** The benchmark names ({@code Class.method}) the suite runs and reports. */
final class Benchmarks {

  static final String PERSIST = "PersistBenchmark.persist";
  static final String THROWING_PREALLOCATED = "ThrowingPersistBenchmark.throwingPreallocated";
  static final String THROWING_FRESH = "ThrowingPersistBenchmark.throwingFresh";
  static final String QUEUE = "QueueBenchmark.offerPoll";
  static final String JDK_DEQUE = "QueueBenchmark.jdkDequeOfferPoll";
  static final String FLOOR_ROOT_CONTEXT = "HistogramFloorBenchmark.recordRootContext";
  static final String FLOOR_CURRENT_CONTEXT = "HistogramFloorBenchmark.recordCurrentContext";

  /** Run for every flavor at one thread. */
  static final List<String> SINGLE_THREAD = List.of(PERSIST, THROWING_PREALLOCATED, THROWING_FRESH, QUEUE, JDK_DEQUE);

  /** Run for every flavor at two threads. */
  static final List<String> TWO_THREADS = List.of(PERSIST);

  /** Run once, without agent, at one thread. */
  static final List<String> FLOOR = List.of(FLOOR_ROOT_CONTEXT, FLOOR_CURRENT_CONTEXT);

  /** Run once, without agent, at two threads: how the SDK alone scales on this machine. */
  static final List<String> FLOOR_TWO_THREADS = List.of(FLOOR_ROOT_CONTEXT);

  private Benchmarks() {}
}
