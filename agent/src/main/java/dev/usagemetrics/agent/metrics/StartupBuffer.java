package dev.usagemetrics.agent.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds what is recorded while the OpenTelemetry SDK is still starting (it starts off the
 * application's main thread), and replays it exactly once the instruments exist. After the
 * replay starts it refuses new entries, so the caller records directly; nothing is lost or
 * counted twice.
 */
final class StartupBuffer {

  /** Beyond this many early recordings (a pathological startup), further ones are counted as dropped. */
  static final int CAPACITY = 1 << 20;

  private List<Recording> recordings = new ArrayList<>();
  private boolean closed;
  private long dropped;

  private interface Recording {
    void replay(UsageInstruments instruments);
  }

  /** Buffers {@code recording}; false once the buffer is closed for the replay (record directly). */
  private synchronized boolean add(Recording recording) {
    if (closed) {
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

  boolean addQueueChange(long delta) {
    return add(instruments -> instruments.addToQueueSize(delta));
  }

  /**
   * Refuses new entries, then replays everything into {@code instruments} and returns how many
   * recordings were dropped. The replay runs outside the lock: a slow SDK start can leave a million
   * recordings here, and application threads must not wait for them (they record directly
   * meanwhile; sums and bucket counts do not depend on order).
   */
  long replayInto(UsageInstruments instruments) {
    List<Recording> taken;
    long droppedCount;
    synchronized (this) {
      taken = recordings;
      recordings = List.of();
      closed = true;
      droppedCount = dropped;
    }
    for (Recording recording : taken) {
      recording.replay(instruments);
    }
    return droppedCount;
  }
}
