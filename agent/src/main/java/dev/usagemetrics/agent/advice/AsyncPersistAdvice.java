package dev.usagemetrics.agent.advice;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into configured persist methods that return a {@code CompletionStage}: the call is
 * timed until the returned stage completes. The stage itself is only observed, never replaced.
 */
public final class AsyncPersistAdvice {

  private AsyncPersistAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@Advice.Local("depth") int[] depth) {
    depth = UsageMetricsBridge.persistDepth();
    return UsageMetricsBridge.enterPersist(depth);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Local("depth") int[] depth,
      @Advice.Enter long startNanos,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown,
      @Advice.Origin Class<?> caller) {
    UsageMetricsBridge.exitAsyncPersist(depth, startNanos, returned, thrown, caller);
  }
}
