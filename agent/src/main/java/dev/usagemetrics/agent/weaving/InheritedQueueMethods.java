package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.config.QueueTarget;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Queue methods a configured class inherits instead of declaring ({@code class Backlog extends
 * ArrayBlockingQueue} declares neither {@code offer} nor {@code poll}).
 *
 * <p>For a class loaded after the agent, an overriding method that only calls {@code super} is
 * added to it when it loads; the advice is then woven into it like into any declared method. The
 * JDK's classes stay untouched, so other queues pay nothing.
 *
 * <p>A class that was already loaded when the agent attached can no longer gain methods; there
 * the declaring classes (e.g. {@code ArrayBlockingQueue}) are instrumented instead, and the advice
 * counts only instances of configured classes.
 */
final class InheritedQueueMethods {

  private static final int OVERRIDE_ACCESS =
      Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_VARARGS;

  private final List<Target> targets = new ArrayList<>();

  InheritedQueueMethods(List<QueueTarget> queueTargets) {
    for (QueueTarget target : queueTargets) {
      targets.add(new Target(target.className(), new QueueMethods(target)));
    }
  }

  /**
   * {@code classFile} of {@code type} with a super-calling override added for each configured
   * queue method it inherits from a class that does not carry that queue's advice, or null when
   * there is none. {@code configuredTypes}: those {@code type} is or derives from; {@code loader}:
   * where its superclasses' class files are read; {@code adviceCarriedBy}: the configured types
   * whose advice a superclass (by internal name) carries in its own code: those it derives from,
   * none for a class never instrumented (the JDK's {@code ArrayDeque}, even when
   * {@code java.util.Queue} is configured).
   *
   * @throws IOException when a superclass's class file cannot be read
   */
  byte[] addOverrides(
      ClassOutline type,
      byte[] classFile,
      Set<String> configuredTypes,
      ClassLoader loader,
      Function<String, Set<String>> adviceCarriedBy)
      throws IOException {
    if (type.isInterface() || type.superName() == null) {
      return null;
    }
    List<ClassOutline.MethodOutline> inherited = new ArrayList<>();
    for (Target target : targets) {
      if (configuredTypes.contains(target.className)) {
        collectInherited(type, target, loader, adviceCarriedBy, inherited);
      }
    }
    if (inherited.isEmpty()) {
      return null;
    }
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new OverrideAdder(writer, type.superName(), inherited), 0);
    return writer.toByteArray();
  }

  /** Configured methods visible in {@code type} whose nearest declaration does not carry the advice. */
  private static void collectInherited(
      ClassOutline type,
      Target target,
      ClassLoader loader,
      Function<String, Set<String>> adviceCarriedBy,
      List<ClassOutline.MethodOutline> inherited)
      throws IOException {
    Set<String> nearer = new HashSet<>();
    for (ClassOutline.MethodOutline method : type.methods()) {
      nearer.add(method.signature());
    }
    for (String current = type.superName(); current != null; ) {
      ClassOutline declaring = ClassOutline.headerAndMethods(loader, current);
      boolean withoutAdvice = !adviceCarriedBy.apply(current).contains(target.className);
      for (ClassOutline.MethodOutline method : declaring.methods()) {
        if (nearer.add(method.signature())
            && withoutAdvice
            && target.methods.isInheritable(method)
            && isOverridableFrom(type, current, method)) {
          inherited.add(method);
        }
      }
      current = declaring.superName();
    }
  }

  private static boolean isOverridableFrom(
      ClassOutline type, String declaringClass, ClassOutline.MethodOutline method) {
    if (method.is(Opcodes.ACC_PUBLIC) || method.is(Opcodes.ACC_PROTECTED)) {
      return true;
    }
    return !method.is(Opcodes.ACC_PRIVATE)
        && ClassOutline.packageOf(declaringClass)
            .equals(ClassOutline.packageOf(type.internalName()));
  }

  /**
   * Names of the classes that declare a configured method inherited by an already-loaded
   * configured queue class: those must be instrumented in place.
   */
  static Set<String> declaringClassesForLoadedTargets(
      Instrumentation instrumentation, List<QueueTarget> targets) {
    Set<String> declaring = new LinkedHashSet<>();
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      for (QueueTarget target : targets) {
        if (loaded.getName().equals(target.className())) {
          for (String name : QueueMethods.names(target)) {
            addInheritedDeclarations(loaded, name, declaring);
          }
        }
      }
    }
    return declaring;
  }

  private static void addInheritedDeclarations(
      Class<?> type, String methodName, Set<String> declaring) {
    for (Class<?> current = type.getSuperclass();
        current != null;
        current = current.getSuperclass()) {
      for (Method method : current.getDeclaredMethods()) {
        if (method.getName().equals(methodName) && !Modifier.isAbstract(method.getModifiers())) {
          declaring.add(current.getName());
        }
      }
    }
  }

  private static final class Target {
    final String className;
    final QueueMethods methods;

    Target(String className, QueueMethods methods) {
      this.className = className;
      this.methods = methods;
    }
  }

  /** Appends {@code return super.m(args);} for each inherited method to the visited class. */
  private static final class OverrideAdder extends ClassVisitor {
    private final String superName;
    private final List<ClassOutline.MethodOutline> methods;

    OverrideAdder(ClassVisitor next, String superName, List<ClassOutline.MethodOutline> methods) {
      super(Opcodes.ASM9, next);
      this.superName = superName;
      this.methods = methods;
    }

    @Override
    public void visitEnd() {
      for (ClassOutline.MethodOutline method : methods) {
        addOverride(method);
      }
      super.visitEnd();
    }

    private void addOverride(ClassOutline.MethodOutline method) {
      String descriptor = method.descriptor();
      MethodVisitor code = super.visitMethod(
          method.access() & OVERRIDE_ACCESS, method.name(), descriptor, null, method.exceptions());
      code.visitCode();
      code.visitVarInsn(Opcodes.ALOAD, 0);
      int slot = 1;
      for (Type parameter : Type.getArgumentTypes(descriptor)) {
        code.visitVarInsn(parameter.getOpcode(Opcodes.ILOAD), slot);
        slot += parameter.getSize();
      }
      code.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, method.name(), descriptor, false);
      Type returned = Type.getReturnType(descriptor);
      code.visitInsn(returned.getOpcode(Opcodes.IRETURN));
      code.visitMaxs(Math.max(slot, returned.getSize()), slot);
      code.visitEnd();
    }
  }
}
