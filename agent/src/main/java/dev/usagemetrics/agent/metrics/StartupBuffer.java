package dev.usagemetrics.agent.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds what is recorded while the OpenTelemetry SDK is still starting (it starts off the
 * application's main thread), and replays it exactly once the instruments exist. It keeps
 * summaries, not recordings ({@link BufferedHistogram}), so a busy
 * application and a slow start lose nothing and cost fixed memory. Once closed for the replay it
 * refuses new entries, so the caller records directly; nothing is lost or counted twice.
 */
final class StartupBuffer {

  private final BufferedHistogram successes = new BufferedHistogram();
  private final Map<String, BufferedHistogram> failuresByType = new LinkedHashMap<>();
  private boolean closed;

  /** Buffers a success; false once the buffer is closed for the replay (record directly). */
  synchronized boolean addSuccess(long durationNanos) {
    if (closed) {
      return false;
    }
    successes.add(UsageInstruments.seconds(durationNanos));
    return true;
  }

  synchronized boolean addFailure(long durationNanos, String errorType) {
    if (closed) {
      return false;
    }
    failuresByType.computeIfAbsent(errorType, type -> new BufferedHistogram()).add(UsageInstruments.seconds(durationNanos));
    return true;
  }

  /**
   * Refuses new entries, then replays everything into {@code instruments}. The replay runs
   * outside the lock, so application threads never wait for it (they record directly meanwhile;
   * sums and bucket counts do not depend on order). Nothing changes the summaries once closed.
   */
  void replayInto(UsageInstruments instruments) {
    synchronized (this) {
      closed = true;
    }
    successes.replay(instruments::recordSuccessSeconds);
    failuresByType.forEach((errorType, failures) -> failures.replay(seconds -> instruments.recordFailureSeconds(seconds, errorType)));
  }
}
