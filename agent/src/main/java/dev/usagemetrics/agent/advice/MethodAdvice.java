package dev.usagemetrics.agent.advice;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Code woven around the body of a target method, as bytecode: bridge calls on entry, whose results
 * stay in two locals (a context object and a {@code long} state), and one bridge call on exit, by
 * return or by throw. Where the code goes, and what protects the method from it, is the weaver's
 * business; an advice only says which calls to make.
 */
public interface MethodAdvice {

  /** The context local's type in a stack map frame: an internal name or an array descriptor. */
  String contextType();

  /** The most operand stack slots any of the emitted code needs, at once. */
  int maxStack();

  /** Emits the entry calls, storing their results into the context and state locals. */
  void enter(MethodVisitor code, AdviceLocals locals);

  /**
   * Emits the exit call after a normal return: the returned value, of {@code returnType}, is in
   * the value local (unless the method is void).
   */
  void exitReturned(MethodVisitor code, AdviceLocals locals, Type returnType);

  /** Emits the exit call for a throw: the throwable is in the value local. */
  void exitThrown(MethodVisitor code, AdviceLocals locals);
}
