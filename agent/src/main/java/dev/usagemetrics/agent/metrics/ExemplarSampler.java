package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.tracing.CurrentSpans;
import io.opentelemetry.sdk.common.Clock;

/**
 * What all {@link ExemplarSlots} share: where spans are looked up, the clock, and the number of
 * the current collection interval (a slot filled in an earlier interval counts as empty).
 */
final class ExemplarSampler {

  final CurrentSpans spans;
  private final Clock clock = Clock.getDefault();
  private volatile long interval;

  ExemplarSampler(CurrentSpans spans) {
    this.spans = spans;
  }

  long interval() {
    return interval;
  }

  /** Starts the next interval; returns the one that ended, whose exemplars a collection reports. */
  synchronized long closeInterval() {
    return interval++;
  }

  long nowEpochNanos() {
    return clock.now();
  }
}
