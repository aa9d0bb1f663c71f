package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.advice.AdviceLocals;
import dev.usagemetrics.agent.advice.MethodAdvice;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Weaves one {@link MethodAdvice} around the code of one method, as ByteBuddy's inlined advice
 * with {@code suppress = Throwable.class} does, in one pass over expanded stack map frames:
 *
 * <pre>{@code
 * receiver = this; context = null; state = 0;  // this copied: the method's code may reuse slot 0
 * try { <enter> } catch (Throwable ignored) {}            // the advice can never stop the call
 * try {
 *   <the method's code, each return becoming:>
 *     value = <returned>; try { <exit returned> } catch (Throwable ignored) {} return value;
 * } catch (Throwable thrown) {
 *   value = thrown; try { <exit thrown> } catch (Throwable ignored) {} throw value;  // the same instance
 * }
 * }</pre>
 *
 * <p>The advice's locals (receiver, context, state, value) follow the method's own slots (its
 * {@code maxLocals}, read before), so the method's code and debug information stay as they are;
 * its frames gain the context and state. Exception table order decides which handler catches: the
 * handlers guarding the advice's own calls come first (an error there never reaches the method's
 * handlers), the method's own next, and the one catching what the method throws last. That last
 * handler guards the method's own code only, in one range between returns: the exit calls woven
 * at each return are left out of it, which is what they need (their own handler catches first
 * anyway) and what the JIT compiles best: a range spanning them cost the queue advice 0.8 ns per
 * call in {@code QueueBenchmark} (10.4 against 11.1 ns, the same class file with only that range
 * narrowed).
 *
 * <p>Why not ByteBuddy's {@code Advice}: describing the types and the advice through its
 * machinery loaded about 570 classes when the first target loaded, 300 ms of CPU and 7 to 13 MiB
 * in a hello world (docs/benchmarks.md); this is what the three advices need of it.
 */
final class AdviceWeavingMethod extends MethodVisitor {

  private static final String THROWABLE = "java/lang/Throwable";

  private final MethodAdvice advice;
  private final AdviceLocals locals;
  private final Type returnType;
  /** Class files before Java 7 may, and before Java 6 must, do without stack map frames. */
  private final boolean writesFrames;
  /** The method's own slots: where the advice's locals start. */
  private final int ownSlots;
  /** The frame locals on entry: {@code this}, the parameters, then unused slots up to {@link #ownSlots}. */
  private final Object[] entryLocals;

  private final Label[] returnExitStarts;
  private final Label[] returnExitEnds;
  private final Label returnExitFailed = new Label();
  private final Label bodyThrew = new Label();
  /** The end of the range of the method's code being guarded by the last handler; null between ranges. */
  private Label guardedEnd;

  private int returnsWoven;

  /**
   * {@code maxLocals} and {@code returns}: what the method's code uses and has ({@link
   * ClassOutline}); {@code writesFrames}: whether the class file has stack map frames.
   */
  AdviceWeavingMethod(
      MethodVisitor next,
      MethodAdvice advice,
      String owner,
      int access,
      String descriptor,
      int maxLocals,
      int returns,
      boolean writesFrames) {
    super(Opcodes.ASM9, next);
    this.advice = advice;
    this.locals = new AdviceLocals(owner, maxLocals);
    this.returnType = Type.getReturnType(descriptor);
    this.writesFrames = writesFrames;
    this.ownSlots = maxLocals;
    if ((access & Opcodes.ACC_STATIC) != 0) {
      throw new IllegalArgumentException("advice is woven into instance methods only");
    }
    this.entryLocals = entryLocals(owner, descriptor);
    this.returnExitStarts = labels(returns);
    this.returnExitEnds = labels(returns);
  }

  @Override
  public void visitCode() {
    super.visitCode();
    for (int i = 0; i < returnExitStarts.length; i++) {
      mv.visitTryCatchBlock(returnExitStarts[i], returnExitEnds[i], returnExitFailed, THROWABLE);
    }
    Label enterStart = new Label();
    Label enterEnd = new Label();
    Label enterFailed = new Label();
    Label entered = new Label();
    mv.visitTryCatchBlock(enterStart, enterEnd, enterFailed, THROWABLE);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ASTORE, locals.receiver());
    mv.visitInsn(Opcodes.ACONST_NULL);
    mv.visitVarInsn(Opcodes.ASTORE, locals.context());
    mv.visitInsn(Opcodes.LCONST_0);
    mv.visitVarInsn(Opcodes.LSTORE, locals.state());
    mv.visitLabel(enterStart);
    advice.enter(mv, locals);
    mv.visitLabel(enterEnd);
    mv.visitJumpInsn(Opcodes.GOTO, entered);
    mv.visitLabel(enterFailed);
    frame(withAdviceLocals(entryLocals), THROWABLE);
    mv.visitInsn(Opcodes.POP);
    mv.visitLabel(entered);
    frame(withAdviceLocals(entryLocals), null);
    // The method's code may have a frame of its own at its first instruction: not at this offset.
    mv.visitInsn(Opcodes.NOP);
  }

  /**
   * Opens a range of the method's code that the last handler guards, unless one is open: called
   * before each instruction is passed on (not before a label or frame, which may end the code), so
   * that no range is empty, and so that each comes after the method's own exception handlers,
   * which are all visited before its first instruction.
   */
  private void guardCode() {
    if (guardedEnd == null) {
      Label start = new Label();
      guardedEnd = new Label();
      mv.visitTryCatchBlock(start, guardedEnd, bodyThrew, THROWABLE);
      mv.visitLabel(start);
    }
  }

  /** Closes the open range, if any: at a return, whose exit calls are not the method's code. */
  private void endGuardedCode() {
    if (guardedEnd != null) {
      mv.visitLabel(guardedEnd);
      guardedEnd = null;
    }
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    if (!writesFrames) {
      return;
    }
    if (type != Opcodes.F_NEW) {
      throw new IllegalStateException("expanded frames expected, got frame type " + type);
    }
    Object[] locals = withAdviceLocals(Arrays.copyOf(local, numLocal));
    mv.visitFrame(Opcodes.F_NEW, locals.length, locals, numStack, stack);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode < Opcodes.IRETURN || opcode > Opcodes.RETURN) {
      guardCode();
      mv.visitInsn(opcode);
      return;
    }
    endGuardedCode();
    if (returnsWoven == returnExitStarts.length) {
      throw new IllegalStateException("more return instructions than the outline counted");
    }
    if (returnType.getSort() != Type.VOID) {
      mv.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), locals.value());
    }
    mv.visitLabel(returnExitStarts[returnsWoven]);
    advice.exitReturned(mv, locals, returnType);
    mv.visitLabel(returnExitEnds[returnsWoven]);
    returnsWoven++;
    returnValue();
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    endGuardedCode();
    mv.visitLabel(bodyThrew);
    frame(unusedThenAdviceLocals(), THROWABLE);
    mv.visitVarInsn(Opcodes.ASTORE, locals.value());
    Label exitStart = new Label();
    Label exitEnd = new Label();
    Label exitFailed = new Label();
    mv.visitTryCatchBlock(exitStart, exitEnd, exitFailed, THROWABLE);
    mv.visitLabel(exitStart);
    advice.exitThrown(mv, locals);
    mv.visitLabel(exitEnd);
    rethrow();
    mv.visitLabel(exitFailed);
    frame(append(unusedThenAdviceLocals(), THROWABLE), THROWABLE);
    mv.visitInsn(Opcodes.POP);
    rethrow();

    if (returnExitStarts.length > 0) {
      mv.visitLabel(returnExitFailed);
      Object[] withValue = returnType.getSort() == Type.VOID
          ? unusedThenAdviceLocals()
          : append(unusedThenAdviceLocals(), frameType(returnType));
      frame(withValue, THROWABLE);
      mv.visitInsn(Opcodes.POP);
      returnValue();
    }
    int valueSlots = Math.max(1, returnType.getSize());
    mv.visitMaxs(maxStack + advice.maxStack(), locals.value() + valueSlots);
  }

  private void returnValue() {
    if (returnType.getSort() != Type.VOID) {
      mv.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), locals.value());
    }
    mv.visitInsn(returnType.getOpcode(Opcodes.IRETURN));
  }

  private void rethrow() {
    mv.visitVarInsn(Opcodes.ALOAD, locals.value());
    mv.visitInsn(Opcodes.ATHROW);
  }

  /** A full frame with {@code locals} and an empty stack, or just {@code stackTop} on it. */
  private void frame(Object[] frameLocals, String stackTop) {
    if (writesFrames) {
      Object[] stack = stackTop == null ? new Object[0] : new Object[] {stackTop};
      mv.visitFrame(Opcodes.F_NEW, frameLocals.length, frameLocals, stack.length, stack);
    }
  }

  /** {@code frameLocals} (the method's own), padded to its slots, then the receiver, context and state. */
  private Object[] withAdviceLocals(Object[] frameLocals) {
    List<Object> all = new ArrayList<>(frameLocals.length + ownSlots + 2);
    int slots = 0;
    for (Object local : frameLocals) {
      all.add(local);
      slots += Opcodes.LONG.equals(local) || Opcodes.DOUBLE.equals(local) ? 2 : 1;
    }
    for (; slots < ownSlots; slots++) {
      all.add(Opcodes.TOP);
    }
    all.add(locals.owner());
    all.add(advice.contextType());
    all.add(Opcodes.LONG);
    return all.toArray();
  }

  /**
   * The method's own slots as unusable, then the receiver, context and state: what a handler after the
   * method's code may rely on, whatever the code left in its own slots.
   */
  private Object[] unusedThenAdviceLocals() {
    return withAdviceLocals(new Object[0]);
  }

  private static Object[] append(Object[] frameLocals, Object last) {
    Object[] all = Arrays.copyOf(frameLocals, frameLocals.length + 1);
    all[frameLocals.length] = last;
    return all;
  }

  private static Object[] entryLocals(String owner, String descriptor) {
    List<Object> entry = new ArrayList<>();
    entry.add(owner);
    for (Type parameter : Type.getArgumentTypes(descriptor)) {
      entry.add(frameType(parameter));
    }
    return entry.toArray();
  }

  /** How a value of {@code type} appears in a stack map frame. */
  private static Object frameType(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
      case Type.CHAR:
      case Type.BYTE:
      case Type.SHORT:
      case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      case Type.ARRAY:
        return type.getDescriptor();
      default:
        return type.getInternalName();
    }
  }

  private static Label[] labels(int count) {
    Label[] labels = new Label[count];
    for (int i = 0; i < count; i++) {
      labels[i] = new Label();
    }
    return labels;
  }

  // Every other instruction is passed on unchanged, in a guarded range.

  @Override
  public void visitIntInsn(int opcode, int operand) {
    guardCode();
    mv.visitIntInsn(opcode, operand);
  }

  @Override
  public void visitVarInsn(int opcode, int varIndex) {
    guardCode();
    mv.visitVarInsn(opcode, varIndex);
  }

  @Override
  public void visitTypeInsn(int opcode, String type) {
    guardCode();
    mv.visitTypeInsn(opcode, type);
  }

  @Override
  public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
    guardCode();
    mv.visitFieldInsn(opcode, owner, name, descriptor);
  }

  @Override
  public void visitMethodInsn(
      int opcode, String owner, String name, String descriptor, boolean isInterface) {
    guardCode();
    mv.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitInvokeDynamicInsn(
      String name,
      String descriptor,
      Handle bootstrapMethodHandle,
      Object... bootstrapMethodArguments) {
    guardCode();
    mv.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
  }

  @Override
  public void visitJumpInsn(int opcode, Label label) {
    guardCode();
    mv.visitJumpInsn(opcode, label);
  }

  @Override
  public void visitLabel(Label label) {
    mv.visitLabel(label);
  }

  @Override
  public void visitLdcInsn(Object value) {
    guardCode();
    mv.visitLdcInsn(value);
  }

  @Override
  public void visitIincInsn(int varIndex, int increment) {
    guardCode();
    mv.visitIincInsn(varIndex, increment);
  }

  @Override
  public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
    guardCode();
    mv.visitTableSwitchInsn(min, max, dflt, labels);
  }

  @Override
  public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
    guardCode();
    mv.visitLookupSwitchInsn(dflt, keys, labels);
  }

  @Override
  public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
    guardCode();
    mv.visitMultiANewArrayInsn(descriptor, numDimensions);
  }
}
