package dev.usagemetrics.agent.advice;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The bridge's methods as the woven code calls them. Named by string, not by class literal: the
 * bridge must be loaded from the boot loader, after its injection, never as a side effect of
 * preparing advice. {@code BridgeCallsTest} checks every name and descriptor against the bridge.
 */
final class BridgeCalls {

  static final String BRIDGE = "dev/usagemetrics/agent/bootstrap/UsageMetricsBridge";
  static final String QUEUE_CELL = "dev/usagemetrics/agent/bootstrap/QueueCell";

  static final String PERSIST_DEPTH = "()[I";
  static final String ENTER_PERSIST = "([I)J";
  static final String EXIT_PERSIST = "([IJLjava/lang/Throwable;Ljava/lang/Class;)V";
  static final String EXIT_ASYNC_PERSIST =
      "([IJLjava/lang/Object;Ljava/lang/Throwable;Ljava/lang/Class;)V";
  static final String QUEUE_CELL_OF = "(ILjava/lang/Object;)L" + QUEUE_CELL + ";";
  static final String ENTER_QUEUE_OPERATION = "(IL" + QUEUE_CELL + ";Ljava/lang/Object;)J";
  static final String EXIT_QUEUE_OPERATION =
      "(IL" + QUEUE_CELL + ";JLjava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)V";

  private BridgeCalls() {}

  static void call(MethodVisitor code, String name, String descriptor) {
    code.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, name, descriptor, false);
  }

  /** Pushes the class being woven: the caller the persist exit reports. */
  static void pushOwner(MethodVisitor code, AdviceLocals locals) {
    code.visitLdcInsn(Type.getObjectType(locals.owner()));
  }

  /** Pushes the value local, boxed when primitive ({@code valueOf}: cached for the usual values); null when void. */
  static void pushReturnedAsObject(MethodVisitor code, AdviceLocals locals, Type returnType) {
    if (returnType.getSort() == Type.VOID) {
      code.visitInsn(Opcodes.ACONST_NULL);
      return;
    }
    code.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), locals.value());
    if (returnType.getSort() < Type.ARRAY) {
      Type boxed = boxOf(returnType);
      code.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          boxed.getInternalName(),
          "valueOf",
          Type.getMethodDescriptor(boxed, returnType),
          false);
    }
  }

  private static Type boxOf(Type primitive) {
    switch (primitive.getSort()) {
      case Type.BOOLEAN:
        return Type.getObjectType("java/lang/Boolean");
      case Type.CHAR:
        return Type.getObjectType("java/lang/Character");
      case Type.BYTE:
        return Type.getObjectType("java/lang/Byte");
      case Type.SHORT:
        return Type.getObjectType("java/lang/Short");
      case Type.INT:
        return Type.getObjectType("java/lang/Integer");
      case Type.FLOAT:
        return Type.getObjectType("java/lang/Float");
      case Type.LONG:
        return Type.getObjectType("java/lang/Long");
      case Type.DOUBLE:
        return Type.getObjectType("java/lang/Double");
      default:
        throw new IllegalArgumentException("not a primitive: " + primitive);
    }
  }
}
