package dev.usagemetrics.agent.advice;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Woven into configured persist methods: times the call and reports what it threw. The context is
 * the thread's persist call depth (fetched once per call), the state the start time.
 *
 * <pre>{@code
 * int[] depth = UsageMetricsBridge.persistDepth();
 * long startNanos = UsageMetricsBridge.enterPersist(depth);
 * ... the method's own code ...
 * UsageMetricsBridge.exitPersist(depth, startNanos, thrown, Owner.class);           // or, returning a stage:
 * UsageMetricsBridge.exitAsyncPersist(depth, startNanos, returned, thrown, Owner.class);
 * }</pre>
 */
public final class PersistAdvice implements MethodAdvice {

  /** For methods returning anything but a {@code CompletionStage}. */
  public static final PersistAdvice SYNCHRONOUS = new PersistAdvice(false);

  /** For methods declared to return a {@code CompletionStage}: timed until the stage completes. */
  public static final PersistAdvice ASYNCHRONOUS = new PersistAdvice(true);

  private final boolean async;

  private PersistAdvice(boolean async) {
    this.async = async;
  }

  @Override
  public String contextType() {
    return "[I";
  }

  @Override
  public int maxStack() {
    return 6;
  }

  @Override
  public void enter(MethodVisitor code, AdviceLocals locals) {
    BridgeCalls.call(code, "persistDepth", BridgeCalls.PERSIST_DEPTH);
    code.visitInsn(Opcodes.DUP);
    code.visitVarInsn(Opcodes.ASTORE, locals.context());
    BridgeCalls.call(code, "enterPersist", BridgeCalls.ENTER_PERSIST);
    code.visitVarInsn(Opcodes.LSTORE, locals.state());
  }

  @Override
  public void exitReturned(MethodVisitor code, AdviceLocals locals, Type returnType) {
    code.visitVarInsn(Opcodes.ALOAD, locals.context());
    code.visitVarInsn(Opcodes.LLOAD, locals.state());
    if (async) {
      BridgeCalls.pushReturnedAsObject(code, locals, returnType);
    }
    code.visitInsn(Opcodes.ACONST_NULL);
    callExit(code, locals);
  }

  @Override
  public void exitThrown(MethodVisitor code, AdviceLocals locals) {
    code.visitVarInsn(Opcodes.ALOAD, locals.context());
    code.visitVarInsn(Opcodes.LLOAD, locals.state());
    if (async) {
      code.visitInsn(Opcodes.ACONST_NULL);
    }
    code.visitVarInsn(Opcodes.ALOAD, locals.value());
    callExit(code, locals);
  }

  private void callExit(MethodVisitor code, AdviceLocals locals) {
    BridgeCalls.pushOwner(code, locals);
    if (async) {
      BridgeCalls.call(code, "exitAsyncPersist", BridgeCalls.EXIT_ASYNC_PERSIST);
    } else {
      BridgeCalls.call(code, "exitPersist", BridgeCalls.EXIT_PERSIST);
    }
  }

  @Override
  public String toString() {
    return async ? "asynchronous persist advice" : "persist advice";
  }
}
