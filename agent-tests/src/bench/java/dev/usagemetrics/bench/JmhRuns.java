package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Runs benchmarks through the JMH Runner API in a forked JVM per benchmark, with a flavor's agent
 * arguments appended, always with the GC profiler (it reads allocation counters between
 * iterations, outside the measured loop). JMH's own output goes to a log file per run.
 */
final class JmhRuns {

  static final int WARMUP_ITERATIONS = 3;
  static final int MEASUREMENT_ITERATIONS = 5;
  static final TimeValue ITERATION_TIME = TimeValue.seconds(1);
  static final int FORKS = 1;
  /**
   * Forks of the queue benchmarks: their few nanoseconds moved by up to 2 ns from one fork to the
   * next (how the JIT laid out the loop), more than the error one fork's iterations show.
   */
  static final int QUEUE_FORKS = 3;
  /** Forks of {@link ThreadKindPersistBenchmark}: a contended lock shows as a difference between forks. */
  static final int VIRTUAL_THREAD_FORKS = 2;

  /** The auxiliary counters of {@link ThreadCpuTime} and {@link ThreadKindPersistBenchmark.ProcessCpuTime}. */
  static final String CPU_NANOS = "cpuNanos";

  static final String OPS = "ops";
  /** The auxiliary counters of {@link PairedThrowingBenchmark.PairTimes}. */
  static final String MEASURED_NANOS = "measuredNanos";

  static final String UNMEASURED_NANOS = "unmeasuredNanos";
  static final String PAIRS = "pairs";

  private static final String ALLOCATION_PER_OP = "gc.alloc.rate.norm";
  private static final double CONFIDENCE = 0.999;
  private static final Duration LOCK_WAIT = Duration.ofMinutes(30);
  private static final Duration LOCK_RETRY = Duration.ofSeconds(10);
  private static final String PACKAGE = JmhRuns.class.getPackageName() + ".";

  private final Path logDir;

  JmhRuns(Path logDir) {
    this.logDir = logDir;
  }

  static String settings() {
    return "JMH AverageTime, " + WARMUP_ITERATIONS + "×" + ITERATION_TIME + " warmup, "
        + MEASUREMENT_ITERATIONS + "×"
        + ITERATION_TIME + " measurement, " + FORKS + " fork (" + QUEUE_FORKS + " for the queue, "
        + VIRTUAL_THREAD_FORKS
        + " for the thread-kind benchmark), -prof gc; errors are 99.9% CI half-widths";
  }

  /** Runs {@code benchmarks} ({@code Class.method}) at {@code threads} threads, one fork, on this JVM's Java. */
  Map<String, Measurement> run(Flavor flavor, int threads, List<String> benchmarks)
      throws RunnerException, IOException {
    return run(flavor, threads, benchmarks, null, FORKS);
  }

  /**
   * Runs {@code benchmarks} ({@code Class.method}) at {@code threads} threads in {@code forks} forks on
   * the Java in {@code javaHome} (null: this JVM's); results by benchmark, or by {@link #key} for a
   * benchmark with parameters.
   */
  Map<String, Measurement> run(
      Flavor flavor, int threads, List<String> benchmarks, Path javaHome, int forks)
      throws RunnerException, IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(
        flavor.label() + "-" + threads + "t-" + String.join("+", benchmarks) + ".log");
    OptionsBuilder options = new OptionsBuilder();
    if (javaHome != null) {
      options.jvm(javaHome.resolve("bin").resolve("java").toString());
    }
    for (String benchmark : benchmarks) {
      options.include("^" + Pattern.quote(PACKAGE + benchmark) + "$");
    }
    Options built = options
        .warmupIterations(WARMUP_ITERATIONS)
        .warmupTime(ITERATION_TIME)
        .measurementIterations(MEASUREMENT_ITERATIONS)
        .measurementTime(ITERATION_TIME)
        .forks(forks)
        .threads(threads)
        .timeUnit(TimeUnit.NANOSECONDS)
        .jvmArgsAppend(flavor.jvmArgs().toArray(new String[0]))
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .output(log.toString())
        .build();
    Map<String, Measurement> results = new HashMap<>();
    for (RunResult run : runWhenNoOtherJmhRuns(built, log)) {
      String benchmark = run.getParams().getBenchmark().substring(PACKAGE.length());
      Map<String, String> parameters = new TreeMap<>();
      run.getParams()
          .getParamsKeys()
          .forEach(name -> parameters.put(name, run.getParams().getParam(name)));
      Estimate allocation = estimate(run.getSecondaryResults().get(ALLOCATION_PER_OP));
      Measurement measurement = new Measurement(
          estimate(run.getPrimaryResult()),
          allocation,
          perIteration(run, CPU_NANOS, null, OPS),
          perIteration(run, MEASURED_NANOS, UNMEASURED_NANOS, PAIRS));
      results.put(key(benchmark, parameters), measurement);
    }
    for (String benchmark : benchmarks) {
      if (results.keySet().stream()
          .noneMatch(key -> key.equals(benchmark) || key.startsWith(benchmark + "{"))) {
        throw new IllegalStateException(
            "JMH did not report " + benchmark + " for " + flavor.label() + " (see " + log + ")");
      }
    }
    return results;
  }

  /**
   * Runs {@code options}, first waiting (up to {@link #LOCK_WAIT}) while another JMH run on this
   * machine holds JMH's lock: two benchmark runs at once would disturb each other's figures.
   */
  private static Collection<RunResult> runWhenNoOtherJmhRuns(Options options, Path log)
      throws RunnerException {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      try {
        return new Runner(options).run();
      } catch (RunnerException e) {
        if (e.getMessage() == null
            || !e.getMessage().contains("JMH lock")
            || System.nanoTime() > deadline) {
          throw e;
        }
        System.out.println(
            "[bench] another JMH run holds its lock; waiting (" + log.getFileName() + ")");
        try {
          Thread.sleep(LOCK_RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** How results of {@code benchmark} run with {@code parameters} are keyed: {@code Class.method{name=value,...}}. */
  static String key(String benchmark, Map<String, String> parameters) {
    return parameters.isEmpty() ? benchmark : benchmark + parameters.toString().replace(" ", "");
  }

  /**
   * The mean over measured iterations of ({@code counter} − {@code subtracted}) / {@code per}, three of
   * the benchmark's auxiliary counters ({@code subtracted} may be null); NaN where it has none.
   */
  private static Estimate perIteration(
      RunResult run, String counter, String subtracted, String per) {
    ListStatistics perIteration = new ListStatistics();
    for (BenchmarkResult fork : run.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        Map<String, Result> counters = iteration.getSecondaryResults();
        Result<?> value = counters.get(counter);
        Result<?> divisor = counters.get(per);
        boolean missing = value == null
            || divisor == null
            || (subtracted != null && !counters.containsKey(subtracted));
        if (missing || divisor.getScore() == 0) {
          return new Estimate(Double.NaN, Double.NaN);
        }
        double difference = value.getScore()
            - (subtracted == null ? 0 : counters.get(subtracted).getScore());
        perIteration.addValue(difference / divisor.getScore());
      }
    }
    return new Estimate(perIteration.getMean(), perIteration.getMeanErrorAt(CONFIDENCE));
  }

  private static Estimate estimate(Result<?> result) {
    return result == null
        ? new Estimate(Double.NaN, Double.NaN)
        : new Estimate(result.getScore(), result.getScoreError());
  }
}
