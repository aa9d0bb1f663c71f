package dev.usagemetrics.agent.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own log: stderr or a file of its own, never the application's logging framework
 * (which may not be initialised yet, and whose configuration is not ours to touch).
 */
public final class AgentLog {

  public static final String PREFIX = "[usage-metrics-agent] ";

  private static volatile LogLevel level = LogLevel.INFO;
  private static volatile PrintStream out = System.err;
  private static final Set<String> SAID_ONCE = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  /** Sets the level and, when {@code file} is not null, appends to that file instead of stderr. */
  public static void configure(LogLevel newLevel, String file) {
    level = newLevel;
    if (file != null) {
      try {
        out =
            new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8.name());
      } catch (IOException e) {
        error("cannot open log file " + file + " (" + e.getMessage()
            + "); logging to stderr instead");
      }
    }
  }

  public static boolean isDebug() {
    return level == LogLevel.DEBUG;
  }

  public static void debug(String message) {
    if (level == LogLevel.DEBUG) {
      write("DEBUG", message);
    }
  }

  public static void info(String message) {
    if (level != LogLevel.QUIET) {
      write("INFO", message);
    }
  }

  public static void warn(String message) {
    write("WARN", message);
  }

  /** Warns only the first time {@code key} is seen, so a recurring condition is one line. */
  public static void warnOnce(String key, String message) {
    if (SAID_ONCE.add(key)) {
      warn(message);
    }
  }

  public static void error(String message) {
    write("ERROR", message);
  }

  /** Every line carries the prefix, continuation lines too, so grepping for it finds a whole report. */
  private static void write(String severity, String message) {
    out.println(PREFIX + timestamp(Instant.now()) + " " + severity + " "
        + message.replace("\n", "\n" + PREFIX));
  }

  /**
   * {@code instant.toString()}, without the JDK's date-time formatter: its first use costs a cold
   * JVM about 15 ms (measured), paid by every line at startup and exit otherwise.
   */
  static String timestamp(Instant instant) {
    LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    if (time.getYear() < 0 || time.getYear() > 9999) {
      return instant.toString();
    }
    StringBuilder text = new StringBuilder(30);
    digits(text, time.getYear(), 4).append('-');
    digits(text, time.getMonthValue(), 2).append('-');
    digits(text, time.getDayOfMonth(), 2).append('T');
    digits(text, time.getHour(), 2).append(':');
    digits(text, time.getMinute(), 2).append(':');
    digits(text, time.getSecond(), 2);
    int nanos = instant.getNano();
    if (nanos > 0) {
      // As ISO_INSTANT: the fraction in groups of three digits, as many as it takes.
      text.append('.');
      if (nanos % 1_000_000 == 0) {
        digits(text, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        digits(text, nanos / 1_000, 6);
      } else {
        digits(text, nanos, 9);
      }
    }
    return text.append('Z').toString();
  }

  private static StringBuilder digits(StringBuilder text, int value, int width) {
    String number = Integer.toString(value);
    for (int pad = number.length(); pad < width; pad++) {
      text.append('0');
    }
    return text.append(number);
  }
}
