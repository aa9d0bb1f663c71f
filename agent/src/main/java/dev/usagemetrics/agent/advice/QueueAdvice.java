package dev.usagemetrics.agent.advice;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Woven into configured queue methods; its kind ({@code UsageMetricsBridge.ADDS_ONE},
 * {@code REMOVES_ONE}, {@code REMOVES_COUNT}, {@code CHANGES_SIZE}, maybe with
 * {@code IN_SHARED_CLASS}) says what the method does to the size. The context is the thread's
 * queue cell (one lookup by thread id per operation), the state what the exit needs.
 *
 * <pre>{@code
 * QueueCell cell = UsageMetricsBridge.queueCell(KIND, this);
 * long state = UsageMetricsBridge.enterQueueOperation(KIND, cell, this);
 * ... the method's own code ...
 * UsageMetricsBridge.exitQueueOperation(KIND, cell, state, this, returned, thrown);
 * }</pre>
 */
public final class QueueAdvice implements MethodAdvice {

  private final int kind;

  public QueueAdvice(int kind) {
    this.kind = kind;
  }

  @Override
  public String contextType() {
    return BridgeCalls.QUEUE_CELL;
  }

  @Override
  public int maxStack() {
    return 8;
  }

  @Override
  public void enter(MethodVisitor code, AdviceLocals locals) {
    code.visitLdcInsn(kind);
    code.visitVarInsn(Opcodes.ALOAD, locals.receiver());
    BridgeCalls.call(code, "queueCell", BridgeCalls.QUEUE_CELL_OF);
    code.visitVarInsn(Opcodes.ASTORE, locals.context());
    code.visitLdcInsn(kind);
    code.visitVarInsn(Opcodes.ALOAD, locals.context());
    code.visitVarInsn(Opcodes.ALOAD, locals.receiver());
    BridgeCalls.call(code, "enterQueueOperation", BridgeCalls.ENTER_QUEUE_OPERATION);
    code.visitVarInsn(Opcodes.LSTORE, locals.state());
  }

  @Override
  public void exitReturned(MethodVisitor code, AdviceLocals locals, Type returnType) {
    pushOperation(code, locals);
    BridgeCalls.pushReturnedAsObject(code, locals, returnType);
    code.visitInsn(Opcodes.ACONST_NULL);
    BridgeCalls.call(code, "exitQueueOperation", BridgeCalls.EXIT_QUEUE_OPERATION);
  }

  @Override
  public void exitThrown(MethodVisitor code, AdviceLocals locals) {
    pushOperation(code, locals);
    code.visitInsn(Opcodes.ACONST_NULL);
    code.visitVarInsn(Opcodes.ALOAD, locals.value());
    BridgeCalls.call(code, "exitQueueOperation", BridgeCalls.EXIT_QUEUE_OPERATION);
  }

  /** Kind, cell, state and queue: the arguments every exit starts with. */
  private void pushOperation(MethodVisitor code, AdviceLocals locals) {
    code.visitLdcInsn(kind);
    code.visitVarInsn(Opcodes.ALOAD, locals.context());
    code.visitVarInsn(Opcodes.LLOAD, locals.state());
    code.visitVarInsn(Opcodes.ALOAD, locals.receiver());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof QueueAdvice && ((QueueAdvice) other).kind == kind;
  }

  @Override
  public int hashCode() {
    return kind;
  }

  @Override
  public String toString() {
    return "queue advice (kind " + kind + ")";
  }
}
