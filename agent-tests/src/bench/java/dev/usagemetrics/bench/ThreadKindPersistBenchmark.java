package dev.usagemetrics.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Persist calls from {@code threads} new threads of one {@code kind}, virtual or platform, started
 * together and joined: {@link #CALLS} calls per invocation in all, shared equally. The score is
 * wall time per call, so with more threads than cores it is the time per call across all cores
 * (the carriers of the virtual threads, the cores the platform threads share). Needs Java 21+.
 *
 * <p>On a machine shared with other work, wall time also measures how much of the machine the
 * operating system gave the benchmark, and it gives 64 platform threads a larger share than 2
 * carriers. The process CPU time per call ({@link ProcessCpuTime}) does not depend on that share,
 * and still shows time spent spinning or contending for a cache line (not time spent parked).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ThreadKindPersistBenchmark {

  /** Calls per invocation, divisible by every thread count. */
  static final int CALLS = 1 << 20;

  @Param({"platform", "virtual"})
  public String kind;

  @Param({"2", "64"})
  public int threads;

  private final BenchRepository repository = new BenchRepository();
  private ThreadFactory factory;

  @Setup
  public void chooseThreads() throws ReflectiveOperationException {
    factory = "virtual".equals(kind) ? virtualThreadFactory() : Thread::new;
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long persistFromNewThreads(ProcessCpuTime cpuTime) throws InterruptedException {
    long cpuBefore = ProcessCpuTime.processCpuNanos();
    int callsPerThread = CALLS / threads;
    long[] results = new long[threads];
    Thread[] running = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int slot = t;
      running[t] = factory.newThread(
          () -> results[slot] = persistAll(slot * (long) callsPerThread, callsPerThread));
      running[t].start();
    }
    long sum = 0;
    for (int t = 0; t < threads; t++) {
      running[t].join();
      sum += results[t];
    }
    cpuTime.add(ProcessCpuTime.processCpuNanos() - cpuBefore, CALLS);
    return sum;
  }

  private long persistAll(long first, int calls) {
    long sum = 0;
    for (long value = first; value < first + calls; value++) {
      sum += repository.persist(value);
    }
    return sum;
  }

  /** {@code Thread.ofVirtual().factory()}, looked up because the bench code compiles for Java 17. */
  private static ThreadFactory virtualThreadFactory() throws ReflectiveOperationException {
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    return (ThreadFactory)
        Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
  }

  /**
   * The process's CPU time spent in the invocations and the calls made (names as in {@link ThreadCpuTime}).
   * The operating system counts it in ticks (10 ms here): an iteration of many invocations averages that out.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class ProcessCpuTime {
    private static final OperatingSystemMXBean OS =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public long cpuNanos;
    public long ops;

    static long processCpuNanos() {
      return OS.getProcessCpuTime();
    }

    void add(long nanos, long calls) {
      cpuNanos += nanos;
      ops += calls;
    }
  }
}
