package dev.usagemetrics.agent.advice;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into configured enqueue and dequeue methods; {@link QueueDirection} tells which, as a
 * constant bound at instrumentation time.
 */
public final class QueueAdvice {

  private QueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter() {
    return UsageMetricsBridge.enterQueueOperation();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @QueueDirection int direction,
      @Advice.Enter boolean outermost,
      @Advice.This Object queue,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    UsageMetricsBridge.exitQueueOperation(direction, outermost, queue, returned, thrown);
  }
}
