package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits, before a timed JVM is spawned, until the machine has been mostly idle for a moment: the
 * exit of the previous JVM (its memory returned, its files written back) and the suite's own
 * threads otherwise land in the next JVM's start. On this two-core VM the same agent's hello world
 * measured + 110 ms over the SDK floor in rounds that waited so and + 135 to + 200 ms in suite runs
 * that did not (2026-12-05). Every flavor waits alike; where {@code /proc/stat} is missing (not
 * Linux) nothing waits.
 */
final class QuietMachine {

  /** Idle share of all CPU time over one look that counts as quiet. */
  static final double IDLE_SHARE = 0.85;

  static final Duration LOOK = Duration.ofMillis(500);
  /** After this long the run starts anyway, and {@link #waitedOut()} counts it. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(20);

  private static final Path PROC_STAT = Path.of("/proc/stat");

  private int waitedOut;

  /** Returns once the machine was quiet over a {@link #LOOK}, or after {@link #LONGEST_WAIT}. */
  void await() throws IOException, InterruptedException {
    if (!Files.isReadable(PROC_STAT)) {
      return;
    }
    long deadline = System.nanoTime() + LONGEST_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      long[] before = cpuTimes();
      Thread.sleep(LOOK.toMillis());
      long[] after = cpuTimes();
      long total = after[0] - before[0];
      if (total > 0 && (after[1] - before[1]) >= IDLE_SHARE * total) {
        return;
      }
    }
    waitedOut++;
  }

  /** How many runs started after {@link #LONGEST_WAIT} without a quiet moment. */
  int waitedOut() {
    return waitedOut;
  }

  /**
   * All CPU time and idle time (with I/O wait) so far, in clock ticks, from the first line of
   * {@code /proc/stat}: {@code cpu user nice system idle iowait irq softirq steal ...}.
   */
  private static long[] cpuTimes() throws IOException {
    String first = Files.readAllLines(PROC_STAT, StandardCharsets.US_ASCII).get(0);
    String[] fields = first.trim().split("\\s+");
    long total = 0;
    for (int field = 1; field <= 8 && field < fields.length; field++) {
      total += Long.parseLong(fields[field]);
    }
    long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
    return new long[] {total, idle};
  }
}
