package dev.usagemetrics.agent.bootstrap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * A sink for tests: records every call as text, and the last throwable and stage it was given.
 * Queue changes are read from the bridge's count.
 */
public class RecordingSink implements UsageMetricsSink {
  public final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final Predicate<Object> tracked;
  public volatile Throwable lastError;
  public volatile Object lastStage;
  public volatile long lastStageStart;

  public RecordingSink(Predicate<Object> tracked) {
    this.tracked = tracked;
  }

  @Override
  public void persistSucceeded(long durationNanos, Class<?> caller) {
    events.add("success");
  }

  @Override
  public void persistFailed(long durationNanos, Throwable error, Class<?> caller) {
    lastError = error;
    events.add("failed");
  }

  @Override
  public void persistReturnedStage(long startNanos, Object stage) {
    lastStageStart = startNanos;
    lastStage = stage;
    events.add("stage");
  }

  @Override
  public boolean tracksQueue(Object queue) {
    return tracked.test(queue);
  }

  @Override
  public void recordingFailed(Throwable problem) {
    events.add("recording failed: " + problem.getMessage());
  }
}
