package dev.usagemetrics.agent.config;

import java.time.Duration;

/** Parses durations as users write them in YAML: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
final class DurationParser {

  /** What {@code \s} matches in a regular expression: the blanks allowed between number and unit. */
  private static final String BLANKS = " \t\n\u000B\f\r";

  private DurationParser() {}

  /**
   * The duration, or null when {@code text} is not one: digits, blanks, a unit. Read character by
   * character, not with a regular expression, which costs milliseconds to compile in premain.
   */
  static Duration parse(String text) {
    String trimmed = text.trim();
    int digitsEnd = 0;
    while (digitsEnd < trimmed.length()
        && trimmed.charAt(digitsEnd) >= '0'
        && trimmed.charAt(digitsEnd) <= '9') {
      digitsEnd++;
    }
    int unitStart = digitsEnd;
    while (unitStart < trimmed.length() && BLANKS.indexOf(trimmed.charAt(unitStart)) >= 0) {
      unitStart++;
    }
    String unit = trimmed.substring(unitStart);
    if (digitsEnd == 0
        || !(unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h"))) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(trimmed.substring(0, digitsEnd));
    } catch (NumberFormatException tooLarge) {
      return null;
    }
    try {
      Duration duration = of(amount, unit);
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
