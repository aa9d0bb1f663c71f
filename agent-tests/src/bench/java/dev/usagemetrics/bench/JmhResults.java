package dev.usagemetrics.bench;

import java.util.HashMap;
import java.util.Map;

/** Every JMH measurement of the run, by flavor, thread count and benchmark. */
final class JmhResults {

  private final Map<String, Measurement> measurements = new HashMap<>();

  void addAll(String flavor, int threads, Map<String, Measurement> byBenchmark) {
    byBenchmark.forEach(
        (benchmark, measurement) -> measurements.put(key(flavor, threads, benchmark), measurement));
  }

  Measurement get(String flavor, int threads, String benchmark) {
    Measurement measurement = measurements.get(key(flavor, threads, benchmark));
    if (measurement == null) {
      throw new IllegalStateException("not measured: " + key(flavor, threads, benchmark));
    }
    return measurement;
  }

  private static String key(String flavor, int threads, String benchmark) {
    return flavor + "/" + threads + "t/" + benchmark;
  }
}
