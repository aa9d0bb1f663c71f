package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.tracing.SpanIds;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The exemplars one platform thread (or all virtual threads together) kept in the current
 * collection interval, as the SDK's aligned-bucket reservoir keeps them: per success bucket the
 * slowest call, per failure bucket and per error type the latest failure. A call's duration and
 * outcome decide first whether it would be kept; only then is its span looked up, so a call that
 * is not kept costs a comparison, and with no tracing in the JVM one volatile read.
 *
 * <p>Written by one thread at a time in the common case (the stripes shared by virtual threads may
 * race: a racing call then loses its exemplar, never a count); each exemplar is immutable and
 * published with a release store, read by the collecting thread with an acquire load.
 */
final class ExemplarSlots {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Exemplar[].class);

  private final ExemplarSampler sampler;
  private final int buckets;
  /** Per outcome, per bucket: {@code [outcome * buckets + bucket]}. */
  private final Exemplar[] byBucket;

  private final Exemplar[] byErrorType;

  ExemplarSlots(ExemplarSampler sampler, int buckets, int errorTypes) {
    this.sampler = sampler;
    this.buckets = buckets;
    this.byBucket = new Exemplar[2 * buckets];
    this.byErrorType = new Exemplar[errorTypes];
  }

  /** A call of {@code outcome} that took {@code seconds} (bucket {@code bucket}) from {@code caller}. */
  void offer(int outcome, int bucket, double seconds, int errorType, Class<?> caller) {
    if (!sampler.spans.tracingSeen()) {
      return;
    }
    int slot = outcome * buckets + bucket;
    long interval = sampler.interval();
    if (outcome == PersistTotals.SUCCESS) {
      Exemplar held = (Exemplar) SLOTS.getAcquire(byBucket, slot);
      if (held != null && held.interval == interval && seconds <= held.seconds) {
        return;
      }
    }
    SpanIds span = sampler.spans.current(caller);
    if (span == null) {
      return;
    }
    Exemplar kept = new Exemplar(seconds, sampler.nowEpochNanos(), span, interval);
    SLOTS.setRelease(byBucket, slot, kept);
    if (errorType >= 0) {
      SLOTS.setRelease(byErrorType, errorType, kept);
    }
  }

  /** Merges what was kept in {@code interval} into {@code total}'s exemplars. */
  void addTo(long interval, PersistTotals.Totals total) {
    for (int slot = 0; slot < byBucket.length; slot++) {
      Exemplar candidate = (Exemplar) SLOTS.getAcquire(byBucket, slot);
      if (candidate != null && candidate.interval == interval) {
        Exemplar chosen = total.bucketExemplars[slot];
        boolean better = chosen == null
            || (slot < buckets
                ? candidate.seconds > chosen.seconds
                : candidate.epochNanos > chosen.epochNanos);
        if (better) {
          total.bucketExemplars[slot] = candidate;
        }
      }
    }
    for (int type = 0; type < byErrorType.length; type++) {
      Exemplar candidate = (Exemplar) SLOTS.getAcquire(byErrorType, type);
      if (candidate != null && candidate.interval == interval) {
        Exemplar chosen = total.errorExemplars[type];
        if (chosen == null || candidate.epochNanos > chosen.epochNanos) {
          total.errorExemplars[type] = candidate;
        }
      }
    }
  }
}
