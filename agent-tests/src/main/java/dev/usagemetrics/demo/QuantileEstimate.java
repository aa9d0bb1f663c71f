package dev.usagemetrics.demo;

import java.util.Locale;

/**
 * A quantile read off histogram buckets: a value, or only a bound when the quantile falls in the
 * first or the overflow bucket, where there is nothing to interpolate between.
 *
 * @param seconds the estimate, or the bound for {@link Kind#AT_MOST} and {@link Kind#ABOVE}
 */
public record QuantileEstimate(Kind kind, double seconds) {

  public enum Kind {
    /** The histogram holds no values. */
    NO_DATA,
    /** In the first bucket: at most its upper bound. */
    AT_MOST,
    /** Linearly interpolated within a bucket. */
    INTERPOLATED,
    /** In the overflow bucket: above the last bound. */
    ABOVE
  }

  static final QuantileEstimate NO_DATA = new QuantileEstimate(Kind.NO_DATA, Double.NaN);

  /** For a person: {@code 3.2ms}, {@code <= 1ms}, {@code >1s}, or {@code -} without data. */
  public String format() {
    return switch (kind) {
      case NO_DATA -> "-";
      case AT_MOST -> "<= " + formatSeconds(seconds);
      case INTERPOLATED -> formatSeconds(seconds);
      case ABOVE -> ">" + formatSeconds(seconds);
    };
  }

  /** Milliseconds below a second, seconds above; one decimal below 10, none above. */
  static String formatSeconds(double seconds) {
    return seconds < 1 ? compact(seconds * 1000) + "ms" : compact(seconds) + "s";
  }

  private static String compact(double value) {
    String text = String.format(Locale.ROOT, value < 10 ? "%.1f" : "%.0f", value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }
}
