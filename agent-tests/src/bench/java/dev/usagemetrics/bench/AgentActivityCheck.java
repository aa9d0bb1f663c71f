package dev.usagemetrics.bench;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fails the suite when our agent exported nothing for a JMH run: a broken or not-yet-rebuilt agent
 * jar disables itself quietly and would otherwise look free. Each fork exports once at exit.
 */
final class AgentActivityCheck {

  private static final Map<String, String> METRIC_BY_BENCHMARK = Map.of(
      Benchmarks.PERSIST, OtlpHttpSink.PERSIST_SECONDS,
      Benchmarks.THROWING_PREALLOCATED, OtlpHttpSink.PERSIST_ERRORS,
      Benchmarks.THROWING_FRESH, OtlpHttpSink.PERSIST_ERRORS,
      Benchmarks.THROWING_FRESH_DEEP, OtlpHttpSink.PERSIST_ERRORS,
      Benchmarks.THREAD_KIND_PERSIST, OtlpHttpSink.PERSIST_SECONDS,
      Benchmarks.PAIRED_THROWING, OtlpHttpSink.PERSIST_ERRORS,
      Benchmarks.QUEUE, OtlpHttpSink.QUEUE_SIZE);

  private final OtlpHttpSink sink;
  private final Map<String, Integer> before = new LinkedHashMap<>();

  private AgentActivityCheck(OtlpHttpSink sink, Set<String> metrics) {
    this.sink = sink;
    metrics.forEach(metric -> before.put(metric, sink.exportsNaming(metric)));
  }

  /** Remembers the export counts before a run of {@code benchmarks}. */
  static AgentActivityCheck before(OtlpHttpSink sink, List<String> benchmarks) {
    Set<String> metrics = new LinkedHashSet<>();
    for (String benchmark : benchmarks) {
      if (METRIC_BY_BENCHMARK.containsKey(benchmark)) {
        metrics.add(METRIC_BY_BENCHMARK.get(benchmark));
      }
    }
    return new AgentActivityCheck(sink, metrics);
  }

  /** Throws unless every expected metric arrived in at least one export since {@link #before}. */
  void requireExported(String run) {
    before.forEach((metric, count) -> {
      if (sink.exportsNaming(metric) <= count) {
        throw new IllegalStateException("our agent exported no " + metric + " during " + run
            + ": it did not instrument or record (check the agent jar and bench-logs/)");
      }
    });
  }
}
