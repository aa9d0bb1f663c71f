package dev.usagemetrics.agent.advice;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into configured synchronous persist methods: times the call, reports what it threw. */
public final class PersistAdvice {

  private PersistAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter(@Advice.Local("depth") int[] depth) {
    depth = UsageMetricsBridge.persistDepth();
    return UsageMetricsBridge.enterPersist(depth);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Local("depth") int[] depth,
      @Advice.Enter long startNanos,
      @Advice.Thrown Throwable thrown,
      @Advice.Origin Class<?> caller) {
    UsageMetricsBridge.exitPersist(depth, startNanos, thrown, caller);
  }
}
