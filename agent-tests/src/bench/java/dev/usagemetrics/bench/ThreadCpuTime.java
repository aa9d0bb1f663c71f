package dev.usagemetrics.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The CPU time a benchmark thread spent per iteration, and the operations it made: their ratio is
 * the CPU time per operation ({@link JmhRuns#CPU_NANOS} / {@link JmhRuns#OPS}). On a machine
 * shared with other work, wall time also counts the time the thread waited for a core; CPU time
 * does not, so it compares flavors fairly however busy the machine is. A benchmark method takes
 * this state and calls {@link #countOp()} once per invocation (a field increment, in every flavor).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ThreadCpuTime {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public long cpuNanos;
  public long ops;
  private long iterationStart;

  @Setup(Level.Iteration)
  public void start() {
    iterationStart = THREADS.getCurrentThreadCpuTime();
  }

  @TearDown(Level.Iteration)
  public void stop() {
    cpuNanos += THREADS.getCurrentThreadCpuTime() - iterationStart;
  }

  void countOp() {
    ops++;
  }
}
