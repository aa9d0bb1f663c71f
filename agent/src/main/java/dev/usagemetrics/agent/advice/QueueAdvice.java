package dev.usagemetrics.agent.advice;

import dev.usagemetrics.agent.bootstrap.QueueCell;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into configured queue methods; {@link QueueOperation} says what the method does to the
 * size. The thread's cell travels from enter to exit in an advice local: one lookup by thread id
 * per operation.
 */
public final class QueueAdvice {

  private QueueAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(
      @QueueOperation int kind, @Advice.This Object queue, @Advice.Local("cell") QueueCell cell) {
    cell = UsageMetricsBridge.queueCell(kind, queue);
    return UsageMetricsBridge.enterQueueOperation(kind, cell, queue);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @QueueOperation int kind,
      @Advice.Local("cell") QueueCell cell,
      @Advice.Enter long state,
      @Advice.This Object queue,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    UsageMetricsBridge.exitQueueOperation(kind, cell, state, queue, returned, thrown);
  }
}
