package dev.usagemetrics.bench;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link PersistBenchmark}'s call with a sampled span of the application's own OpenTelemetry SDK
 * current on the calling thread, as in a traced service: what exemplars add to a call.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PersistInSpanBenchmark {

  private final BenchRepository repository = new BenchRepository();

  @Benchmark
  public void persist(CurrentSpan span, Blackhole blackhole) {
    blackhole.consume(repository.persist(span.next()));
  }

  /** A span current on the benchmark thread for the whole trial. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class CurrentSpan {
    private SdkTracerProvider tracing;
    private Span span;
    private io.opentelemetry.context.Scope scope;
    private long value;

    @Setup
    public void open() {
      tracing = SdkTracerProvider.builder()
          .setSampler(Sampler.alwaysOn())
          .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
          .build();
      span = tracing.get("bench").spanBuilder("request").startSpan();
      scope = span.makeCurrent();
    }

    @TearDown
    public void close() {
      scope.close();
      span.end();
      tracing.close();
    }

    long next() {
      return value++;
    }
  }
}
