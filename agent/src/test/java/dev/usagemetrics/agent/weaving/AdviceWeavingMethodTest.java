package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.advice.MethodAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.advice.QueueAdvice;
import dev.usagemetrics.agent.bootstrap.RecordingSink;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Woven methods behave as before, value for value and throwable for throwable, and report each
 * call once: javac's shapes (returns inside try/finally, catch blocks, switches, loops, synchronized
 * blocks, lambdas, wide locals) and shapes only other compilers or hand-written bytecode produce
 * (a value left under the returned one, {@code this}'s slot reused, a loop at the first
 * instruction).
 */
class AdviceWeavingMethodTest {

  private static final String BRIDGE = UsageMetricsBridge.class.getName().replace('.', '/');

  private final RecordingSink sink = new RecordingSink(queue -> true);

  @AfterEach
  void disconnect() {
    UsageMetricsBridge.connect(null);
  }

  @Test
  void javacShapesReturnAndThrowAsBeforeAndReportEachCallOnce() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> original = JavacShapes.class;
    byte[] classFile = classFile(original);
    Map<String, List<MethodAdvice>> advice = new HashMap<>();
    for (ClassOutline.MethodOutline method : ClassOutline.of(classFile).methods()) {
      if (method.isInstanceMethodWithBody()) {
        advice.put(method.signature(), List.of(PersistAdvice.SYNCHRONOUS));
      }
    }
    Class<?> woven = define(
        original.getName(), ClassWeaver.weave(classFile, ClassOutline.of(classFile), advice));
    Object before = original.getConstructor().newInstance();
    Object after = woven.getConstructor().newInstance();
    int calls = 0;
    for (Method method : original.getDeclaredMethods()) {
      if (method.isSynthetic() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      Method wovenMethod = woven.getDeclaredMethod(method.getName(), method.getParameterTypes());
      for (int argument : new int[] {-1, 0, 1, 2, 7}) {
        Object[] arguments = argumentsFor(method, argument);
        assertEquals(
            outcome(method, before, arguments),
            outcome(wovenMethod, after, arguments),
            method.getName() + "(" + argument + ")");
        calls++;
      }
    }
    assertEquals(calls, sink.events.size(), sink.events.toString());
  }

  @Test
  void eachCallOfTheAdviceIsGuardedByItsOwnHandlerAlone() throws Exception {
    byte[] classFile = classFile(JavacShapes.class);
    for (MethodAdvice advice : List.of(PersistAdvice.SYNCHRONOUS, new QueueAdvice(1))) {
      Map<String, List<MethodAdvice>> everyMethod = new HashMap<>();
      for (ClassOutline.MethodOutline method : ClassOutline.of(classFile).methods()) {
        if (method.isInstanceMethodWithBody()) {
          everyMethod.put(method.signature(), List.of(advice));
        }
      }
      ClassNode woven = new ClassNode();
      new ClassReader(ClassWeaver.weave(classFile, ClassOutline.of(classFile), everyMethod))
          .accept(woven, 0);
      int calls = 0;
      for (MethodNode method : woven.methods) {
        for (AbstractInsnNode instruction : method.instructions) {
          if (instruction instanceof MethodInsnNode
              && ((MethodInsnNode) instruction).owner.equals(BRIDGE)) {
            calls++;
            assertEquals(
                1,
                rangesHolding(method, instruction),
                "what guards " + method.name + "'s call of " + ((MethodInsnNode) instruction).name
                    + ": its own handler only, never the one for the method's own code (the JIT"
                    + " compiles a queue offer 0.8 ns slower then)");
          }
        }
      }
      assertTrue(calls > 3 * woven.methods.size(), calls + " calls");
    }
  }

  private static int rangesHolding(MethodNode method, AbstractInsnNode instruction) {
    int index = method.instructions.indexOf(instruction);
    int ranges = 0;
    for (TryCatchBlockNode range : method.tryCatchBlocks) {
      if (method.instructions.indexOf(range.start) < index
          && index < method.instructions.indexOf(range.end)) {
        ranges++;
      }
    }
    return ranges;
  }

  @Test
  void theSameThrowableInstanceLeavesTheWovenMethod() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(JavacShapes.class, "rethrow", PersistAdvice.SYNCHRONOUS);
    IllegalStateException thrown = new IllegalStateException("the application's own");
    InvocationTargetException left = assertThrows(
        InvocationTargetException.class,
        () -> woven
            .getMethod("rethrow", RuntimeException.class)
            .invoke(woven.getConstructor().newInstance(), thrown));
    assertSame(thrown, left.getCause());
    assertSame(thrown, sink.lastError);
    assertEquals(List.of("failed"), sink.events);
  }

  @Test
  void aReturnedStageIsHandedToTheBridge() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(JavacShapes.class, "stage", PersistAdvice.ASYNCHRONOUS);
    Object stage =
        woven.getMethod("stage", int.class).invoke(woven.getConstructor().newInstance(), 3);
    assertSame(stage, sink.lastStage);
    assertEquals(List.of("stage"), sink.events);
  }

  @Test
  void handWrittenShapesKeepTheirValuesAndTheQueueAdviceSeesTheReceiver() throws Exception {
    UsageMetricsBridge.connect(sink);
    byte[] classFile = handWrittenShapes();
    Map<String, List<MethodAdvice>> advice = Map.of(
        "valueLeftUnderReturned()I",
        List.of(PersistAdvice.SYNCHRONOUS),
        "countDownFromFirstInstruction(J)J",
        List.of(PersistAdvice.SYNCHRONOUS),
        "thisSlotReused()Ljava/lang/Object;",
        List.of(new QueueAdvice(UsageMetricsBridge.REMOVES_ONE)));
    Class<?> woven = define(
        "dev.usagemetrics.generated.HandWritten",
        ClassWeaver.weave(classFile, ClassOutline.of(classFile), advice));
    Object shapes = woven.getConstructor().newInstance();
    long sizeBefore = UsageMetricsBridge.queueSize();

    assertEquals(2, woven.getMethod("valueLeftUnderReturned").invoke(shapes));
    assertEquals(
        0L, woven.getMethod("countDownFromFirstInstruction", long.class).invoke(shapes, 5L));
    assertEquals("replaced", woven.getMethod("thisSlotReused").invoke(shapes));

    assertEquals(List.of("success", "success"), sink.events);
    assertEquals(sizeBefore - 1, UsageMetricsBridge.queueSize(), "one element taken, counted once");
  }

  /** What calling {@code method} gives: its value, or its throwable's class and message. */
  private static Object outcome(Method method, Object target, Object[] arguments) throws Exception {
    try {
      Object value = method.invoke(target, arguments);
      if (value instanceof CompletableFuture) {
        return "a stage of " + ((CompletableFuture<?>) value).join();
      }
      return value instanceof Object[] ? List.of((Object[]) value) : value;
    } catch (InvocationTargetException e) {
      return e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
    }
  }

  private static Object[] argumentsFor(Method method, int argument) {
    List<Object> arguments = new ArrayList<>();
    for (Class<?> type : method.getParameterTypes()) {
      if (type == int.class) {
        arguments.add(argument);
      } else if (type == long.class) {
        arguments.add((long) argument);
      } else if (type == double.class) {
        arguments.add(argument / 2.0);
      } else if (type == String.class) {
        arguments.add(argument < 0 ? null : "s" + argument);
      } else {
        arguments.add(null);
      }
    }
    return arguments.toArray();
  }

  private static Class<?> wovenCopy(Class<?> type, String methodName, MethodAdvice advice)
      throws IOException {
    byte[] classFile = classFile(type);
    Map<String, List<MethodAdvice>> chosen = new HashMap<>();
    for (ClassOutline.MethodOutline method : ClassOutline.of(classFile).methods()) {
      if (method.name().equals(methodName)) {
        chosen.put(method.signature(), List.of(advice));
      }
    }
    return define(type.getName(), ClassWeaver.weave(classFile, ClassOutline.of(classFile), chosen));
  }

  private static Class<?> define(String name, byte[] classFile) {
    return new ClassLoader(AdviceWeavingMethodTest.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(name, classFile, 0, classFile.length);
      }
    }.define();
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Bytecode javac never writes, but a JVM runs. */
  private static byte[] handWrittenShapes() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    writer.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC,
        "dev/usagemetrics/generated/HandWritten",
        null,
        "java/lang/Object",
        null);
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    MethodVisitor below =
        writer.visitMethod(Opcodes.ACC_PUBLIC, "valueLeftUnderReturned", "()I", null, null);
    below.visitCode();
    below.visitInsn(Opcodes.ICONST_1);
    below.visitInsn(Opcodes.ICONST_2);
    below.visitInsn(Opcodes.IRETURN);
    below.visitMaxs(0, 0);
    below.visitEnd();

    MethodVisitor loop =
        writer.visitMethod(Opcodes.ACC_PUBLIC, "countDownFromFirstInstruction", "(J)J", null, null);
    loop.visitCode();
    Label head = new Label();
    Label done = new Label();
    loop.visitLabel(head);
    loop.visitVarInsn(Opcodes.LLOAD, 1);
    loop.visitInsn(Opcodes.LCONST_0);
    loop.visitInsn(Opcodes.LCMP);
    loop.visitJumpInsn(Opcodes.IFLE, done);
    loop.visitVarInsn(Opcodes.LLOAD, 1);
    loop.visitInsn(Opcodes.LCONST_1);
    loop.visitInsn(Opcodes.LSUB);
    loop.visitVarInsn(Opcodes.LSTORE, 1);
    loop.visitJumpInsn(Opcodes.GOTO, head);
    loop.visitLabel(done);
    loop.visitVarInsn(Opcodes.LLOAD, 1);
    loop.visitInsn(Opcodes.LRETURN);
    loop.visitMaxs(0, 0);
    loop.visitEnd();

    MethodVisitor reused = writer.visitMethod(
        Opcodes.ACC_PUBLIC, "thisSlotReused", "()Ljava/lang/Object;", null, null);
    reused.visitCode();
    reused.visitLdcInsn("replaced");
    reused.visitVarInsn(Opcodes.ASTORE, 0);
    reused.visitVarInsn(Opcodes.ALOAD, 0);
    reused.visitInsn(Opcodes.ARETURN);
    reused.visitMaxs(0, 0);
    reused.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** What javac writes for the shapes a persist method may have. */
  public static final class JavacShapes {
    private final Object lock = new Object();
    private int counter;

    public String returnsInsideTryFinally(int argument) {
      try {
        if (argument > 1) {
          return "big";
        }
        counter++;
      } finally {
        counter--;
      }
      return "small";
    }

    public int returnsFromCatch(String text) {
      try {
        return text.length();
      } catch (NullPointerException e) {
        return -1;
      }
    }

    public long switchesAndWideLocals(long value, double factor) {
      long doubled = value * 2;
      double scaled = doubled * factor;
      switch ((int) value) {
        case 0:
          return 10L;
        case 1:
          return (long) scaled;
        case 7:
          throw new IllegalArgumentException("seven " + scaled);
        default:
          return doubled;
      }
    }

    public int synchronizedLoop(int times) {
      int sum = 0;
      synchronized (lock) {
        for (int i = 0; i < times; i++) {
          sum += i;
        }
      }
      return sum;
    }

    public synchronized void synchronizedVoid(int value) {
      if (value < 0) {
        throw new IllegalStateException("negative");
      }
      counter += value;
    }

    public Object[] lambdaAndArray(int size) {
      java.util.function.IntFunction<String> name = i -> "n" + i;
      Object[] names = new Object[Math.max(0, size)];
      for (int i = 0; i < names.length; i++) {
        names[i] = name.apply(i);
      }
      return names;
    }

    public boolean nestedTry(String text) {
      try {
        try {
          return Integer.parseInt(text) > 1;
        } finally {
          counter++;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }

    public CompletableFuture<Integer> stage(int value) {
      return CompletableFuture.completedFuture(value);
    }

    public void rethrow(RuntimeException thrown) {
      throw thrown;
    }
  }
}
