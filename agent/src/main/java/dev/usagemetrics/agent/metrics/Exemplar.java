package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.tracing.SpanIds;

/** One persist call kept as an exemplar: its duration, when it ended, its span, in which collection interval. */
final class Exemplar {
  final double seconds;
  final long epochNanos;
  final SpanIds span;
  final long interval;

  Exemplar(double seconds, long epochNanos, SpanIds span, long interval) {
    this.seconds = seconds;
    this.epochNanos = epochNanos;
    this.span = span;
    this.interval = interval;
  }
}
