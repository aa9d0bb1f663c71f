package dev.usagemetrics.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Startup cost, per flavor: the wall time from spawning {@link StartupMain} to its exit and to its
 * {@code main} being entered, plus the floor of exporting over OTLP at all ({@link StartupSdkMain},
 * no agent). Medians of {@link #RUNS} runs interleaved across all of them (so drift hits all
 * alike), after one discarded warm-up round (file cache, CDS archive).
 */
final class StartupTimer {

  static final int RUNS = 11;

  /** The key of the OTLP floor in {@link Startup#exitMillis()}. */
  static final String SDK_FLOOR = "sdk-floor";

  private final ChildJvm childJvm;
  private final String metricsUrl;

  /** {@code metricsUrl}: where the floor program exports (OTLP/HTTP metrics URL). */
  StartupTimer(ChildJvm childJvm, String metricsUrl) {
    this.childJvm = childJvm;
    this.metricsUrl = metricsUrl;
  }

  /** Median milliseconds by flavor label (and {@link #SDK_FLOOR}): spawn → exit, and spawn → main entered. */
  record Startup(Map<String, Double> exitMillis, Map<String, Double> mainEnteredMillis) {}

  Startup measure(List<Flavor> flavors) throws IOException, InterruptedException {
    Map<String, List<Double>> exit = new LinkedHashMap<>();
    Map<String, List<Double>> mainEntered = new LinkedHashMap<>();
    flavors.forEach(flavor -> {
      exit.put(flavor.label(), new ArrayList<>());
      mainEntered.put(flavor.label(), new ArrayList<>());
    });
    exit.put(SDK_FLOOR, new ArrayList<>());
    for (int round = -1; round < RUNS; round++) {
      for (Flavor flavor : flavors) {
        ChildJvm.Outcome outcome = childJvm.run(flavor, StartupMain.class);
        if (round >= 0) {
          exit.get(flavor.label()).add(outcome.wallNanos() / 1e6);
          mainEntered.get(flavor.label()).add((double) (mainEnteredEpochMillis(outcome) - outcome.spawnEpochMillis()));
        }
      }
      ChildJvm.Outcome floor =
          childJvm.run(Flavor.none(), StartupSdkMain.class, System.getProperty("java.class.path"), List.of(metricsUrl));
      if (round >= 0) {
        exit.get(SDK_FLOOR).add(floor.wallNanos() / 1e6);
      }
    }
    return new Startup(medians(exit), medians(mainEntered));
  }

  private static long mainEnteredEpochMillis(ChildJvm.Outcome outcome) {
    for (String line : outcome.stdout().split("\n")) {
      if (line.startsWith(StartupMain.MAIN_ENTERED)) {
        return Long.parseLong(line.substring(StartupMain.MAIN_ENTERED.length()).trim());
      }
    }
    throw new IllegalStateException("StartupMain did not print " + StartupMain.MAIN_ENTERED + ": " + outcome.stdout());
  }

  private static Map<String, Double> medians(Map<String, List<Double>> samples) {
    Map<String, Double> medians = new LinkedHashMap<>();
    samples.forEach((label, values) -> medians.put(label, Statistics.median(values)));
    return medians;
  }
}
