package dev.usagemetrics.bench;

/** A value with its error; differences and ratios propagate independent errors in quadrature. */
record Estimate(double value, double error) {

  static Estimate exact(double value) {
    return new Estimate(value, 0);
  }

  Estimate minus(Estimate other) {
    return new Estimate(value - other.value, Math.hypot(safe(error), safe(other.error)));
  }

  Estimate dividedBy(Estimate other) {
    double ratio = value / other.value;
    double relative = Math.hypot(safe(error) / value, safe(other.error) / other.value);
    return new Estimate(ratio, Math.abs(ratio) * relative);
  }

  Estimate times(double factor) {
    return new Estimate(value * factor, Math.abs(error * factor));
  }

  /** A single-iteration JMH result has no error (NaN): treat it as unknown, i.e. zero, in sums. */
  private static double safe(double error) {
    return Double.isFinite(error) ? error : 0;
  }
}
