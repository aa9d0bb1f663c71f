package dev.usagemetrics.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Startup cost of a hello world, per flavor: the wall time from spawning {@link StartupMain} to its
 * exit and to its {@code main} being entered, its peak RSS and CPU time; plus the floor of exporting
 * over OTLP at all ({@link StartupSdkMain}, no agent). Medians of {@link #RUNS} runs interleaved
 * across all of them (so drift hits all alike) in a {@link RotatedOrder}, after one discarded
 * warm-up round (file cache, CDS archive).
 */
final class StartupTimer {

  static final int RUNS = 15;

  /** The key of the OTLP floor in {@link Startup}'s maps (except {@code mainEnteredMillis}). */
  static final String SDK_FLOOR = "sdk-floor";

  private final MeasuredJvm measuredJvm;
  private final String metricsUrl;

  /** {@code metricsUrl}: where the floor program exports (OTLP/HTTP metrics URL). */
  StartupTimer(MeasuredJvm measuredJvm, String metricsUrl) {
    this.measuredJvm = measuredJvm;
    this.metricsUrl = metricsUrl;
  }

  /**
   * Medians by flavor label (and {@link #SDK_FLOOR}): spawn → exit and spawn → main entered (ms),
   * peak RSS (MiB), CPU time, user + system (ms).
   */
  record Startup(
      Map<String, Double> exitMillis,
      Map<String, Double> mainEnteredMillis,
      Map<String, Double> peakRssMib,
      Map<String, Double> cpuMillis) {}

  Startup measure(List<Flavor> flavors) throws IOException, InterruptedException {
    Map<String, List<Double>> exit = new LinkedHashMap<>();
    Map<String, List<Double>> mainEntered = new LinkedHashMap<>();
    Map<String, List<Double>> peakRss = new LinkedHashMap<>();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    Map<String, Flavor> byLabel = new LinkedHashMap<>();
    for (Flavor flavor : flavors) {
      byLabel.put(flavor.label(), flavor);
    }
    List<String> labels = new ArrayList<>(byLabel.keySet());
    labels.add(SDK_FLOOR);
    for (int round = -1; round < RUNS; round++) {
      for (String label : RotatedOrder.of(labels, round)) {
        if (label.equals(SDK_FLOOR)) {
          MeasuredJvm.Outcome floor = measuredJvm.run(
              Flavor.none(),
              StartupSdkMain.class.getName(),
              System.getProperty("java.class.path"),
              List.of(metricsUrl));
          System.out.println("[bench] startup round " + round + ", " + SDK_FLOOR + ": exit "
              + Math.round(floor.wallNanos() / 1e6) + " ms");
          if (round >= 0) {
            add(exit, peakRss, cpu, SDK_FLOOR, floor);
          }
          continue;
        }
        MeasuredJvm.Outcome outcome = measuredJvm.run(byLabel.get(label), StartupMain.class);
        System.out.println("[bench] startup round " + round + ", " + label + ": main entered "
            + (mainEnteredEpochMillis(outcome) - outcome.spawnEpochMillis()) + " ms, exit "
            + Math.round(outcome.wallNanos() / 1e6) + " ms");
        if (round >= 0) {
          add(exit, peakRss, cpu, label, outcome);
          mainEntered.computeIfAbsent(label, key -> new ArrayList<>()).add((double)
              (mainEnteredEpochMillis(outcome) - outcome.spawnEpochMillis()));
        }
      }
    }
    return new Startup(medians(exit), medians(mainEntered), medians(peakRss), medians(cpu));
  }

  private static void add(
      Map<String, List<Double>> exit,
      Map<String, List<Double>> peakRss,
      Map<String, List<Double>> cpu,
      String label,
      MeasuredJvm.Outcome outcome) {
    exit.computeIfAbsent(label, key -> new ArrayList<>()).add(outcome.wallNanos() / 1e6);
    peakRss.computeIfAbsent(label, key -> new ArrayList<>()).add(outcome.peakRssMib());
    cpu.computeIfAbsent(label, key -> new ArrayList<>()).add(outcome.cpuMillis());
  }

  private static long mainEnteredEpochMillis(MeasuredJvm.Outcome outcome) {
    for (String line : outcome.stdout().split("\n")) {
      if (line.startsWith(StartupMain.MAIN_ENTERED)) {
        return Long.parseLong(line.substring(StartupMain.MAIN_ENTERED.length()).trim());
      }
    }
    throw new IllegalStateException(
        "StartupMain did not print " + StartupMain.MAIN_ENTERED + ": " + outcome.stdout());
  }

  static Map<String, Double> medians(Map<String, List<Double>> samples) {
    Map<String, Double> medians = new LinkedHashMap<>();
    samples.forEach((label, values) -> medians.put(label, Statistics.median(values)));
    return medians;
  }
}
