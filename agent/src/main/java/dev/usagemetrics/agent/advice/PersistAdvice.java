package dev.usagemetrics.agent.advice;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import net.bytebuddy.asm.Advice;

/** Inlined into configured synchronous persist methods: times the call, reports what it threw. */
public final class PersistAdvice {

  private PersistAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter() {
    return UsageMetricsBridge.enterPersist();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter long startNanos, @Advice.Thrown Throwable thrown) {
    UsageMetricsBridge.exitPersist(startNanos, thrown);
  }
}
