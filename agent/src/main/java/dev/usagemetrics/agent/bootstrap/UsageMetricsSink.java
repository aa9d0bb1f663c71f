package dev.usagemetrics.agent.bootstrap;

/**
 * What the inlined advice reports, implemented by the agent's metrics code. (Queue operations are
 * counted by the bridge itself, see {@link UsageMetricsBridge#queueSize()}: nothing per element
 * goes through here.)
 *
 * <p>Lives in the bootstrap class loader so that advice inlined into classes of any class loader
 * (system, an isolated child loader, the bootstrap loader for JDK queues) can reach it. Only JDK
 * types may appear here.
 */
public interface UsageMetricsSink {

  /**
   * An outermost persist call to a method of {@code caller} returned normally after
   * {@code durationNanos}. {@code caller} tells which tracing API the call sees (null: none).
   */
  void persistSucceeded(long durationNanos, Class<?> caller);

  /** An outermost persist call to a method of {@code caller} threw {@code error} after {@code durationNanos}. */
  void persistFailed(long durationNanos, Throwable error, Class<?> caller);

  /**
   * An outermost persist call started at {@code startNanos} returned a not-yet-observed
   * {@code java.util.concurrent.CompletionStage}; the sink records it when the stage completes.
   */
  void persistReturnedStage(long startNanos, Object stage);

  /** True when {@code queue} is an instance of a configured queue class. */
  boolean tracksQueue(Object queue);

  /** Something in the sink itself failed; the application was not affected. */
  void recordingFailed(Throwable problem);
}
