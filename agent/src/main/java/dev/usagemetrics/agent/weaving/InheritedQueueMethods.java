package dev.usagemetrics.agent.weaving;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.usagemetrics.agent.config.QueueTarget;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.OpenedClassReader;

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
      targets.add(new Target(target.className(), new QueueMethods(target).all()));
    }
  }

  /**
   * {@code classFile} of {@code type} with a super-calling override added for each configured
   * queue method it inherits from a class that does not carry that queue's advice, or null when
   * there is none. {@code configuredTypes}: those {@code type} is or derives from;
   * {@code adviceCarriedBy}: the configured types whose advice a superclass (by internal name)
   * carries in its own code: those it derives from, none for a class never instrumented (the
   * JDK's {@code ArrayDeque}, even when {@code java.util.Queue} is configured).
   */
  byte[] addOverrides(
      TypeDescription type,
      byte[] classFile,
      Set<String> configuredTypes,
      Function<String, Set<String>> adviceCarriedBy) {
    if (type.isInterface() || type.getSuperClass() == null) {
      return null;
    }
    List<MethodDescription> inherited = new ArrayList<>();
    for (Target target : targets) {
      if (configuredTypes.contains(target.className)) {
        collectInherited(type, target, adviceCarriedBy, inherited);
      }
    }
    if (inherited.isEmpty()) {
      return null;
    }
    ClassReader reader = OpenedClassReader.of(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new OverrideAdder(writer, type.getSuperClass().asErasure().getInternalName(), inherited),
        0);
    return writer.toByteArray();
  }

  /** Configured methods visible in {@code type} whose nearest declaration does not carry the advice. */
  private static void collectInherited(
      TypeDescription type,
      Target target,
      Function<String, Set<String>> adviceCarriedBy,
      List<MethodDescription> inherited) {
    Set<String> nearer = new HashSet<>();
    for (MethodDescription method : type.getDeclaredMethods()) {
      nearer.add(signature(method));
    }
    for (TypeDefinition current = type.getSuperClass();
        current != null;
        current = current.getSuperClass()) {
      TypeDescription declaring = current.asErasure();
      boolean withoutAdvice =
          !adviceCarriedBy.apply(declaring.getInternalName()).contains(target.className);
      for (MethodDescription method : declaring.getDeclaredMethods()) {
        if (nearer.add(signature(method))
            && withoutAdvice
            && target.methods.matches(method)
            && !method.isFinal()
            && isOverridableFrom(type, method)) {
          inherited.add(method);
        }
      }
    }
  }

  private static boolean isOverridableFrom(TypeDescription type, MethodDescription method) {
    if (method.isPublic() || method.isProtected()) {
      return true;
    }
    return !method.isPrivate() && method.getDeclaringType().asErasure().isSamePackage(type);
  }

  private static String signature(MethodDescription method) {
    return method.getInternalName() + method.getDescriptor();
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
    final ElementMatcher<MethodDescription> methods;

    Target(String className, ElementMatcher.Junction<MethodDescription> methods) {
      this.className = className;
      this.methods = methods.and(not(isSynthetic()));
    }
  }

  /** Appends {@code return super.m(args);} for each inherited method to the visited class. */
  private static final class OverrideAdder extends ClassVisitor {
    private final String superName;
    private final List<MethodDescription> methods;

    OverrideAdder(ClassVisitor next, String superName, List<MethodDescription> methods) {
      super(OpenedClassReader.ASM_API, next);
      this.superName = superName;
      this.methods = methods;
    }

    @Override
    public void visitEnd() {
      for (MethodDescription method : methods) {
        addOverride(method);
      }
      super.visitEnd();
    }

    private void addOverride(MethodDescription method) {
      String descriptor = method.getDescriptor();
      String[] exceptions = method.getExceptionTypes().asErasures().toInternalNames();
      MethodVisitor code = super.visitMethod(
          method.getModifiers() & OVERRIDE_ACCESS,
          method.getInternalName(),
          descriptor,
          null,
          exceptions);
      code.visitCode();
      code.visitVarInsn(Opcodes.ALOAD, 0);
      int slot = 1;
      for (Type parameter : Type.getArgumentTypes(descriptor)) {
        code.visitVarInsn(parameter.getOpcode(Opcodes.ILOAD), slot);
        slot += parameter.getSize();
      }
      code.visitMethodInsn(
          Opcodes.INVOKESPECIAL, superName, method.getInternalName(), descriptor, false);
      Type returned = Type.getReturnType(descriptor);
      code.visitInsn(returned.getOpcode(Opcodes.IRETURN));
      code.visitMaxs(Math.max(slot, returned.getSize()), slot);
      code.visitEnd();
    }
  }
}
