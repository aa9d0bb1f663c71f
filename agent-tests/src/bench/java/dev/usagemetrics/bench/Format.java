package dev.usagemetrics.bench;

import java.util.Locale;

/** Number formatting for the table. */
final class Format {

  static final double MIB = 1024.0 * 1024.0;

  private Format() {}

  static String estimate(Estimate estimate) {
    return number(estimate.value(), 1)
        + (Double.isFinite(estimate.error()) ? " ± " + number(estimate.error(), 1) : "");
  }

  static String added(Estimate estimate) {
    return (estimate.value() >= 0 ? "+" : "") + estimate(estimate);
  }

  static String bytes(Estimate estimate) {
    return number(estimate.value(), 2)
        + (Double.isFinite(estimate.error()) ? " ± " + number(estimate.error(), 2) : "");
  }

  static String addedBytes(Estimate estimate) {
    return (estimate.value() >= 0 ? "+" : "") + bytes(estimate);
  }

  static String number(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  static String signed(double value, int decimals) {
    return (value >= 0 ? "+" : "") + number(value, decimals);
  }

  static String mib(double bytes) {
    return number(bytes / MIB, 2);
  }
}
