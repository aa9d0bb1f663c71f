package dev.usagemetrics.agent.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds what is recorded while the OpenTelemetry SDK is still starting (it starts off the
 * application's main thread), and replays it exactly once the instruments exist. After the
 * replay it refuses new entries, so the caller records directly; nothing is lost or counted twice.
 */
final class StartupBuffer {

  /** Beyond this many early recordings (a pathological startup), further ones are counted as dropped. */
  static final int CAPACITY = 1 << 20;

  private final List<Recording> recordings = new ArrayList<>();
  private boolean replayed;
  private long dropped;

  private interface Recording {
    void replay(UsageInstruments instruments);
  }

  /** Buffers {@code recording}; false when the buffer was already replayed (record directly). */
  private synchronized boolean add(Recording recording) {
    if (replayed) {
      return false;
    }
    if (recordings.size() < CAPACITY) {
      recordings.add(recording);
    } else {
      dropped++;
    }
    return true;
  }

  boolean addSuccess(long durationNanos) {
    return add(instruments -> instruments.recordSuccess(durationNanos));
  }

  boolean addFailure(long durationNanos, String errorType) {
    return add(instruments -> instruments.recordFailure(durationNanos, errorType));
  }

  /** Replays everything into {@code instruments}; returns how many recordings were dropped. */
  synchronized long replayInto(UsageInstruments instruments) {
    for (Recording recording : recordings) {
      recording.replay(instruments);
    }
    recordings.clear();
    replayed = true;
    return dropped;
  }
}
