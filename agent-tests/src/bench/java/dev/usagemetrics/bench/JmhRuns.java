package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

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

  private static final String ALLOCATION_PER_OP = "gc.alloc.rate.norm";
  private static final String PACKAGE = JmhRuns.class.getPackageName() + ".";

  private final Path logDir;

  JmhRuns(Path logDir) {
    this.logDir = logDir;
  }

  static String settings() {
    return "JMH AverageTime, " + WARMUP_ITERATIONS + "×" + ITERATION_TIME + " warmup, " + MEASUREMENT_ITERATIONS + "×"
        + ITERATION_TIME + " measurement, " + FORKS + " fork, -prof gc; errors are 99.9% CI half-widths";
  }

  /** Runs {@code benchmarks} ({@code Class.method}) at {@code threads} threads; results by benchmark. */
  Map<String, Measurement> run(Flavor flavor, int threads, List<String> benchmarks) throws RunnerException, IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(flavor.label() + "-" + threads + "t-" + String.join("+", benchmarks) + ".log");
    OptionsBuilder options = new OptionsBuilder();
    for (String benchmark : benchmarks) {
      options.include("^" + Pattern.quote(PACKAGE + benchmark) + "$");
    }
    Options built =
        options
            .warmupIterations(WARMUP_ITERATIONS)
            .warmupTime(ITERATION_TIME)
            .measurementIterations(MEASUREMENT_ITERATIONS)
            .measurementTime(ITERATION_TIME)
            .forks(FORKS)
            .threads(threads)
            .timeUnit(TimeUnit.NANOSECONDS)
            .jvmArgsAppend(flavor.jvmArgs().toArray(new String[0]))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .output(log.toString())
            .build();
    Map<String, Measurement> results = new HashMap<>();
    for (RunResult run : new Runner(built).run()) {
      String benchmark = run.getParams().getBenchmark().substring(PACKAGE.length());
      results.put(benchmark, new Measurement(estimate(run.getPrimaryResult()), estimate(run.getSecondaryResults().get(ALLOCATION_PER_OP))));
    }
    if (!results.keySet().containsAll(benchmarks)) {
      throw new IllegalStateException("JMH did not report " + benchmarks + " for " + flavor.label() + " (see " + log + ")");
    }
    return results;
  }

  private static Estimate estimate(Result<?> result) {
    return result == null ? new Estimate(Double.NaN, Double.NaN) : new Estimate(result.getScore(), result.getScoreError());
  }
}
