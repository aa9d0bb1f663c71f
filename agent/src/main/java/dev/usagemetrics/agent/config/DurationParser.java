package dev.usagemetrics.agent.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as users write them in YAML: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
final class DurationParser {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  private DurationParser() {}

  /** The duration, or null when {@code text} is not one. */
  static Duration parse(String text) {
    Matcher matcher = DURATION.matcher(text.trim());
    if (!matcher.matches()) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException tooLarge) {
      return null;
    }
    try {
      Duration duration = of(amount, matcher.group(2));
      duration
          .toNanos(); // users of a duration convert it to millis or nanos: refuse what overflows
      // (~292 years)
      return duration;
    } catch (ArithmeticException tooLarge) {
      return null;
    }
  }

  private static Duration of(long amount, String unit) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      default:
        return Duration.ofHours(amount);
    }
  }
}
