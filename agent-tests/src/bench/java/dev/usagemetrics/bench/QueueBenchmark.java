package dev.usagemetrics.bench;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One offer and one poll on the configured queue (the queue keeps its size, both calls are
 * counted), and the same on a plain JDK {@link ArrayDeque} that is not configured: what the agent
 * costs every other queue of the application.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBenchmark {

  private final BenchQueue queue = new BenchQueue();
  private final ArrayDeque<Object> unrelated = new ArrayDeque<>();
  private final Object record = new Object();

  @Benchmark
  public Object offerPoll(ThreadCpuTime cpu, Blackhole blackhole) {
    cpu.countOp();
    blackhole.consume(queue.offer(record));
    return queue.poll();
  }

  @Benchmark
  public Object jdkDequeOfferPoll(ThreadCpuTime cpu, Blackhole blackhole) {
    cpu.countOp();
    blackhole.consume(unrelated.offer(record));
    return unrelated.poll();
  }
}
