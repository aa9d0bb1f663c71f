package dev.usagemetrics.targets.spring;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A daemon thread that wakes every 10 ms and remembers the longest gap between two wake-ups: how
 * long the application stood still (an attach, a pause), as the application itself experiences it.
 */
final class TickMonitor {

  private static final long TICK_MILLIS = 10;

  private final AtomicLong longestGapNanos = new AtomicLong();

  private TickMonitor() {}

  static TickMonitor start() {
    TickMonitor monitor = new TickMonitor();
    Thread ticker = new Thread(monitor::tick, "tick-monitor");
    ticker.setDaemon(true);
    ticker.start();
    return monitor;
  }

  /** The longest gap since the previous call (or the start), in milliseconds; starts a new period. */
  long takeLongestGapMillis() {
    return TimeUnit.NANOSECONDS.toMillis(longestGapNanos.getAndSet(0));
  }

  private void tick() {
    long last = System.nanoTime();
    while (true) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long gap = now - last;
      longestGapNanos.accumulateAndGet(gap, Math::max);
      last = now;
    }
  }
}
