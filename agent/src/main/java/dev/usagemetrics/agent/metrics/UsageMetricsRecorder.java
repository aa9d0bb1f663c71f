package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.bootstrap.UsageMetricsSink;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.classification.ErrorRule;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.ConfiguredTypeFilter;
import dev.usagemetrics.agent.tracing.CurrentSpans;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the advice observes into measurements: classifies failures, filters queues by their
 * configured type, and accumulates everything where the hot path pays the least (see
 * {@link PersistTotals}); the OpenTelemetry SDK collects it through {@link #metricProducer()}.
 * Recording needs no SDK, so nothing measured while the SDK is still starting is lost.
 */
public final class UsageMetricsRecorder implements UsageMetricsSink {

  private static final double SECONDS_PER_NANO = 1e-9;

  private final ErrorClassifier classifier;
  private final ConfiguredTypeFilter trackedQueues;
  private final List<String> errorTypes;
  private final Map<String, Integer> errorTypeIndexes = new HashMap<>();
  private final PersistTotals persistTotals;
  private final boolean queuesTracked;
  private final long startEpochNanos = Clock.getDefault().now();
  private MetricProducer metricProducer;

  public UsageMetricsRecorder(ErrorClassifier classifier, ConfiguredTypeFilter trackedQueues) {
    this(classifier, trackedQueues, null);
  }

  /** As above, keeping exemplars of calls made inside the sampled spans {@code spans} finds (null: no exemplars). */
  public UsageMetricsRecorder(
      ErrorClassifier classifier, ConfiguredTypeFilter trackedQueues, CurrentSpans spans) {
    this.classifier = classifier;
    this.trackedQueues = trackedQueues;
    Set<String> types = new LinkedHashSet<>();
    types.add(classifier.defaultErrorType());
    for (ErrorRule rule : classifier.rules()) {
      types.add(rule.errorType());
    }
    errorTypes = List.copyOf(types);
    for (int index = 0; index < errorTypes.size(); index++) {
      errorTypeIndexes.put(errorTypes.get(index), index);
    }
    persistTotals = new PersistTotals(
        MetricDefinitions.PERSIST_SECONDS.bounds(),
        errorTypes.size(),
        spans == null ? null : new ExemplarSampler(spans));
    queuesTracked = !trackedQueues.isEmpty();
  }

  /**
   * Runs the classification and queue-filter paths once, so that the classes they need are loaded
   * now and never from inside advice, which may run while the JVM is loading another class.
   */
  public void warmUp() {
    classifier.classify(new IllegalStateException(new java.sql.SQLException("warm-up", "00000")));
    trackedQueues.matches(Object.class);
    unwrapCompletion(new CompletionException(new RuntimeException()));
  }

  /**
   * What the SDK collects: register it with the meter provider of every reader that exports these
   * metrics. Made when the SDK first asks, on the SDK's thread: the OpenTelemetry classes it needs
   * then stay out of premain.
   */
  public synchronized MetricProducer metricProducer() {
    if (metricProducer == null) {
      // The queue gauge reads the bridge's count at each collection: the queue path makes no call
      // into the agent.
      metricProducer = new UsageMetricProducer(
          persistTotals,
          errorTypes,
          queuesTracked ? UsageMetricsBridge::queueSize : null,
          startEpochNanos);
    }
    return metricProducer;
  }

  @Override
  public void persistSucceeded(long durationNanos, Class<?> caller) {
    persistTotals.recordSuccess(durationNanos * SECONDS_PER_NANO, caller);
  }

  @Override
  public void persistFailed(long durationNanos, Throwable error, Class<?> caller) {
    recordFailure(durationNanos, classifier.classify(error), caller);
  }

  private void recordFailure(long durationNanos, String errorType, Class<?> caller) {
    persistTotals.recordFailure(
        durationNanos * SECONDS_PER_NANO, errorTypeIndexes.get(errorType), caller);
  }

  @Override
  public void persistReturnedStage(long startNanos, Object stage) {
    if (!(stage instanceof CompletionStage)) {
      persistSucceeded(System.nanoTime() - startNanos, null);
      return;
    }
    // The callback is held by the stage, not by us: a stage that never completes is never counted
    // and is collected with everything it references.
    ((CompletionStage<?>) stage)
        .whenComplete((result, failure) -> persistCompleted(startNanos, failure));
  }

  /** No exemplar: the span current where a stage completes is not the caller's. */
  private void persistCompleted(long startNanos, Throwable failure) {
    long durationNanos = System.nanoTime() - startNanos;
    if (failure == null) {
      persistSucceeded(durationNanos, null);
      return;
    }
    Throwable cause = unwrapCompletion(failure);
    if (cause instanceof CancellationException) {
      recordFailure(durationNanos, classifier.defaultErrorType(), null);
    } else {
      persistFailed(durationNanos, cause, null);
    }
  }

  @Override
  public boolean tracksQueue(Object queue) {
    return trackedQueues.matches(queue.getClass());
  }

  @Override
  public void recordingFailed(Throwable problem) {
    AgentLog.warnOnce(
        "recording:" + problem.getClass().getName(),
        "a measurement was lost to an internal error (the application was not affected): " + problem
            + (problem.getStackTrace().length > 0 ? " at " + problem.getStackTrace()[0] : ""));
  }

  static Throwable unwrapCompletion(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; depth < 8; depth++) {
      if ((current instanceof CompletionException || current instanceof ExecutionException)
          && current.getCause() != null) {
        current = current.getCause();
      } else {
        break;
      }
    }
    return current;
  }
}
