package dev.usagemetrics.bench;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A persist call that throws a JDBC timeout, caught here. The preallocated variant isolates the
 * agent's failure path (classification, histogram and counter records); the fresh variants add
 * what an application really pays per failure (building the exception and its stack trace), from
 * the benchmark's shallow stack and from {@link #DEEP_STACK} frames further down (a stack trace's
 * cost grows with its depth; what the agent adds must not).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// A fixed, pre-touched heap in every flavor: a fresh exception per call allocates hundreds of
// bytes,
// and the page faults of a heap that grows and shrinks would otherwise dominate the comparison.
@Fork(jvmArgs = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class ThrowingPersistBenchmark {

  /** SQLState HYT00 (timeout), so both the type rule and the SQLState rules are evaluated. */
  static final String SQL_STATE = "HYT00";

  /** Frames between the benchmark method and the failing call in the deep variant. */
  static final int DEEP_STACK = 100;

  private final BenchRepository repository = new BenchRepository();
  private final SQLTimeoutException preallocated =
      new SQLTimeoutException("lock wait timeout", SQL_STATE);

  @Benchmark
  public void throwingPreallocated(ThreadCpuTime cpu, Blackhole blackhole) {
    cpu.countOp();
    persistAndCatch(preallocated, blackhole);
  }

  @Benchmark
  public void throwingFresh(ThreadCpuTime cpu, Blackhole blackhole) {
    cpu.countOp();
    persistAndCatch(new SQLTimeoutException("lock wait timeout", SQL_STATE), blackhole);
  }

  @Benchmark
  public void throwingFreshDeep(ThreadCpuTime cpu, Blackhole blackhole) {
    cpu.countOp();
    throwFreshBelow(DEEP_STACK, blackhole);
  }

  /** Recursion C2 does not flatten beyond one level: {@code depth} real or inlined frames, each in the stack trace. */
  private void throwFreshBelow(int depth, Blackhole blackhole) {
    if (depth == 0) {
      persistAndCatch(new SQLTimeoutException("lock wait timeout", SQL_STATE), blackhole);
    } else {
      throwFreshBelow(depth - 1, blackhole);
    }
  }

  private void persistAndCatch(SQLException failure, Blackhole blackhole) {
    try {
      blackhole.consume(repository.persistFailing(42, failure));
    } catch (SQLException expected) {
      blackhole.consume(expected);
    }
  }
}
