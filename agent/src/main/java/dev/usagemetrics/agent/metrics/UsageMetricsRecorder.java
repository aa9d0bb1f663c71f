package dev.usagemetrics.agent.metrics;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.bootstrap.UsageMetricsSink;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.classification.ErrorRule;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.ConfiguredTypeFilter;
import io.opentelemetry.api.metrics.Meter;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the advice observes into measurements: classifies failures, filters queues by their
 * configured type, and records into the OpenTelemetry instruments once they exist (into a
 * {@link StartupBuffer} before that).
 */
public final class UsageMetricsRecorder implements UsageMetricsSink {

  private final ErrorClassifier classifier;
  private final ConfiguredTypeFilter trackedQueues;
  private final StartupBuffer startupBuffer = new StartupBuffer();
  private volatile UsageInstruments instruments;

  public UsageMetricsRecorder(ErrorClassifier classifier, ConfiguredTypeFilter trackedQueues) {
    this.classifier = classifier;
    this.trackedQueues = trackedQueues;
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

  /** Creates the instruments on {@code meter} and starts recording into them. */
  public void startRecording(Meter meter) {
    Set<String> errorTypes = new LinkedHashSet<>();
    errorTypes.add(classifier.defaultErrorType());
    for (ErrorRule rule : classifier.rules()) {
      errorTypes.add(rule.errorType());
    }
    // The queue gauge reads the bridge's count at each collection: the queue path pays a few
    // nanoseconds per element (no SDK call, no call into the agent) and needs no startup buffer.
    UsageInstruments created = new UsageInstruments(meter, errorTypes, trackedQueues.isEmpty() ? null : UsageMetricsBridge::queueSize);
    // Published before the buffer closes, so a recording the closed buffer refuses finds them.
    instruments = created;
    startupBuffer.replayInto(created);
  }

  @Override
  public void persistSucceeded(long durationNanos) {
    UsageInstruments current = instruments;
    if (current == null && startupBuffer.addSuccess(durationNanos)) {
      return;
    }
    published(current).recordSuccess(durationNanos);
  }

  @Override
  public void persistFailed(long durationNanos, Throwable error) {
    recordFailure(durationNanos, classifier.classify(error));
  }

  private void recordFailure(long durationNanos, String errorType) {
    UsageInstruments current = instruments;
    if (current == null && startupBuffer.addFailure(durationNanos, errorType)) {
      return;
    }
    published(current).recordFailure(durationNanos, errorType);
  }

  @Override
  public void persistReturnedStage(long startNanos, Object stage) {
    if (!(stage instanceof CompletionStage)) {
      persistSucceeded(System.nanoTime() - startNanos);
      return;
    }
    // The callback is held by the stage, not by us: a stage that never completes is never counted
    // and is collected with everything it references.
    ((CompletionStage<?>) stage).whenComplete((result, failure) -> persistCompleted(startNanos, failure));
  }

  private void persistCompleted(long startNanos, Throwable failure) {
    long durationNanos = System.nanoTime() - startNanos;
    if (failure == null) {
      persistSucceeded(durationNanos);
      return;
    }
    Throwable cause = unwrapCompletion(failure);
    if (cause instanceof CancellationException) {
      recordFailure(durationNanos, classifier.defaultErrorType());
    } else {
      persistFailed(durationNanos, cause);
    }
  }

  @Override
  public boolean tracksQueue(Object queue) {
    return trackedQueues.matches(queue.getClass());
  }

  @Override
  public void recordingFailed(Throwable problem) {
    AgentLog.warnOnce("recording:" + problem.getClass().getName(),
        "a measurement was lost to an internal error (the application was not affected): " + problem
            + (problem.getStackTrace().length > 0 ? " at " + problem.getStackTrace()[0] : ""));
  }

  /**
   * The instruments when already read; otherwise the buffer just refused because it was closed,
   * which happens only after they were published.
   */
  private UsageInstruments published(UsageInstruments current) {
    return current != null ? current : instruments;
  }

  static Throwable unwrapCompletion(Throwable failure) {
    Throwable current = failure;
    for (int depth = 0; depth < 8; depth++) {
      if ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
        current = current.getCause();
      } else {
        break;
      }
    }
    return current;
  }
}
