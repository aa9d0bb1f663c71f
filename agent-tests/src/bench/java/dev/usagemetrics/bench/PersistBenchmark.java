package dev.usagemetrics.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/** A successful persist call: the agent's success path (timing plus one histogram record). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PersistBenchmark {

  /** One repository shared by all benchmark threads, as in an application. */
  private final BenchRepository repository = new BenchRepository();

  @Benchmark
  public void persist(ThreadCounter counter, ThreadCpuTime cpu, Blackhole blackhole) {
    cpu.countOp();
    blackhole.consume(repository.persist(counter.next()));
  }

  /** A per-thread argument that changes every call, so the call cannot be folded away. */
  @State(Scope.Thread)
  public static class ThreadCounter {
    private long value;

    long next() {
      return value++;
    }
  }
}
