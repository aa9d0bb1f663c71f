package dev.usagemetrics.bench;

import java.util.Collection;

/** Medians, for the measurements made by repeated child JVMs. */
final class Statistics {

  private Statistics() {}

  static double median(Collection<? extends Number> values) {
    double[] sorted = values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
