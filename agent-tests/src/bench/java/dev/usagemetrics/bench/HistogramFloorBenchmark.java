package dev.usagemetrics.bench;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor: the least any agent timing a call into an OpenTelemetry SDK histogram can do, measured
 * in process without an agent. Two {@code System.nanoTime()} calls and one record with a
 * precomputed attribute set, on a histogram with the agent's bucket bounds and exemplars off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HistogramFloorBenchmark {

  static final List<Double> BUCKET_BOUNDS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0);
  private static final double SECONDS_PER_NANO = 1e-9;

  private final Attributes attributes = Attributes.of(AttributeKey.stringKey("outcome"), "success");
  private SdkMeterProvider meterProvider;
  private DoubleHistogram histogram;

  @Setup
  public void createHistogram() {
    meterProvider = SdkMeterProvider.builder()
        .registerMetricReader(new DiscardingMetricReader())
        .setExemplarFilter(ExemplarFilter.alwaysOff())
        .build();
    histogram = meterProvider
        .get("dev.usagemetrics.bench")
        .histogramBuilder("bench_persist_seconds")
        .setUnit("s")
        .setExplicitBucketBoundariesAdvice(BUCKET_BOUNDS)
        .build();
  }

  @TearDown
  public void close() {
    meterProvider.close();
  }

  /** As the agent records: with the root context, skipping the current-context lookup. */
  @Benchmark
  public void recordRootContext(ThreadCpuTime cpu) {
    cpu.countOp();
    long start = System.nanoTime();
    histogram.record((System.nanoTime() - start) * SECONDS_PER_NANO, attributes, Context.root());
  }

  /** The plain API call, which looks up the current context for exemplars. */
  @Benchmark
  public void recordCurrentContext(ThreadCpuTime cpu) {
    cpu.countOp();
    long start = System.nanoTime();
    histogram.record((System.nanoTime() - start) * SECONDS_PER_NANO, attributes);
  }
}
