package dev.usagemetrics.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Startup cost: the wall time from spawning {@link StartupMain} to its exit, per flavor, the
 * median of {@code runs} runs interleaved across flavors (so drift hits all alike), after one
 * discarded warm-up round (file cache, CDS archive).
 */
final class StartupTimer {

  static final int RUNS = 11;

  private final ChildJvm childJvm;

  StartupTimer(ChildJvm childJvm) {
    this.childJvm = childJvm;
  }

  /** Median milliseconds by flavor label. */
  Map<String, Double> medianMillis(List<Flavor> flavors) throws IOException, InterruptedException {
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    flavors.forEach(flavor -> millis.put(flavor.label(), new ArrayList<>()));
    for (int round = -1; round < RUNS; round++) {
      for (Flavor flavor : flavors) {
        double elapsed = childJvm.run(flavor, StartupMain.class).wallNanos() / 1e6;
        if (round >= 0) {
          millis.get(flavor.label()).add(elapsed);
        }
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    millis.forEach((label, values) -> medians.put(label, Statistics.median(values)));
    return medians;
  }
}
