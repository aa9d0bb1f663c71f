package dev.usagemetrics.bench;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the agent adds to a call that throws a fresh exception, measured inside one JVM: each
 * invocation makes the failing call once through the configured {@link BenchRepository#persistFailing}
 * and once through its unconfigured twin, in alternating order, each timed on its own, each with a
 * fresh exception built at the same depth. Heap, garbage collection, JIT state and the machine's
 * load are then the same for both, so their difference is the agent's share, where comparing JVMs
 * with and without the agent leaves the differences between those JVMs in it too. Without the
 * agent the difference is the method's own noise floor (about zero).
 *
 * <p>The score is the time of a pair; {@link PairTimes} holds the two halves.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgs = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class PairedThrowingBenchmark {

  /** Frames between the benchmark method and the two calls: 0, or {@link ThrowingPersistBenchmark#DEEP_STACK}. */
  @Param({"0", "100"})
  public int depth;

  private final BenchRepository repository = new BenchRepository();

  @Benchmark
  public void freshExceptionPair(PairTimes times, Blackhole blackhole) {
    pairBelow(depth, times, blackhole);
  }

  private void pairBelow(int framesLeft, PairTimes times, Blackhole blackhole) {
    if (framesLeft > 0) {
      pairBelow(framesLeft - 1, times, blackhole);
      return;
    }
    boolean measuredFirst = times.nextIsMeasuredFirst();
    long start = System.nanoTime();
    call(measuredFirst, blackhole);
    long middle = System.nanoTime();
    call(!measuredFirst, blackhole);
    long end = System.nanoTime();
    times.add(
        measuredFirst ? middle - start : end - middle,
        measuredFirst ? end - middle : middle - start);
  }

  private void call(boolean measured, Blackhole blackhole) {
    SQLException failure =
        new SQLTimeoutException("lock wait timeout", ThrowingPersistBenchmark.SQL_STATE);
    try {
      blackhole.consume(
          measured
              ? repository.persistFailing(42, failure)
              : repository.persistFailingUnmeasured(42, failure));
    } catch (SQLException expected) {
      blackhole.consume(expected);
    }
  }

  /** Nanoseconds spent in the configured and in the unconfigured calls, and the pairs made, per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class PairTimes {
    public long measuredNanos;
    public long unmeasuredNanos;
    public long pairs;

    boolean nextIsMeasuredFirst() {
      return (pairs & 1) == 0;
    }

    void add(long measured, long unmeasured) {
      measuredNanos += measured;
      unmeasuredNanos += unmeasured;
      pairs++;
    }
  }
}
