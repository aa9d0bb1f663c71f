package dev.usagemetrics.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
  static final String THREAD_KIND_PERSIST = "ThreadKindPersistBenchmark.persistFromNewThreads";
  static final String PAIRED_THROWING = "PairedThrowingBenchmark.freshExceptionPair";
  static final String PLATFORM = "platform";
  static final String VIRTUAL = "virtual";
  /** The thread counts {@link ThreadKindPersistBenchmark} runs at (its {@code threads} parameter). */
  static final List<Integer> THREAD_KIND_COUNTS = List.of(2, 64);

  /** Run for every flavor at one thread, after persist (which also runs at two). */
  static final List<String> OTHERS =
      List.of(THROWING_PREALLOCATED, THROWING_FRESH, THROWING_FRESH_DEEP);

  /** Run together for every flavor at one thread, in {@link JmhRuns#QUEUE_FORKS} forks. */
  static final List<String> QUEUES = List.of(QUEUE, JDK_DEQUE);

  private Benchmarks() {}

  /** The key of {@link ThreadKindPersistBenchmark}'s result for {@code kind} threads, {@code threads} of them. */
  static String threadKind(String kind, int threads) {
    return JmhRuns.key(
        THREAD_KIND_PERSIST,
        new TreeMap<>(Map.of("kind", kind, "threads", Integer.toString(threads))));
  }

  /** The key of {@link PairedThrowingBenchmark}'s result with the failing calls {@code depth} frames down. */
  static String pairedThrowing(int depth) {
    return JmhRuns.key(PAIRED_THROWING, Map.of("depth", Integer.toString(depth)));
  }

  /** The floor, run without agent: both variants at one thread, the agent's variant at two. */
  static List<String> floor(int threads) {
    return threads == 1
        ? List.of(FLOOR_ROOT_CONTEXT, FLOOR_CURRENT_CONTEXT)
        : List.of(FLOOR_ROOT_CONTEXT);
  }
}
