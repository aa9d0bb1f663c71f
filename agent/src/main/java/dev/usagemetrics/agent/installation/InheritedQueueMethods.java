package dev.usagemetrics.agent.installation;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isFinal;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.usagemetrics.agent.config.QueueTarget;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.SuperMethodCall;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Queue methods a configured class inherits instead of declaring ({@code class Backlog extends
 * ArrayBlockingQueue} declares neither {@code offer} nor {@code poll}).
 *
 * <p>For a class loaded after the agent, an overriding method that only calls {@code super} is
 * added to it when it loads; the main installer then instruments it like any declared method.
 * The JDK's classes stay untouched, so other queues pay nothing.
 *
 * <p>A class that was already loaded when the agent attached can no longer gain methods; there
 * the declaring classes (e.g. {@code ArrayBlockingQueue}) are instrumented instead, and the advice
 * counts only instances of configured classes.
 */
final class InheritedQueueMethods {

  private InheritedQueueMethods() {}

  /** Installs the overrides for configured queue classes loaded from now on. */
  static ResettableClassFileTransformer installOverrides(Instrumentation instrumentation, List<QueueTarget> targets) {
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .ignore(InstrumentationInstaller.notApplicationCode());
    for (QueueTarget target : targets) {
      ElementMatcher.Junction<TypeDescription> hierarchy = InstrumentationInstaller.hierarchyOf(target.className());
      QueueMethods methods = new QueueMethods(target);
      builder =
          builder
              .type(not(isInterface()).and(hierarchy))
              .transform(
                  (type, description, loader, module, domain) ->
                      type.method(methods.all().and(not(isFinal())).and(not(isDeclaredBy(hierarchy))))
                          .intercept(SuperMethodCall.INSTANCE));
    }
    return builder.installOn(instrumentation);
  }

  /**
   * Names of the classes that declare a configured method inherited by an already-loaded
   * configured queue class: those must be instrumented in place.
   */
  static Set<String> declaringClassesForLoadedTargets(Instrumentation instrumentation, List<QueueTarget> targets) {
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

  private static void addInheritedDeclarations(Class<?> type, String methodName, Set<String> declaring) {
    for (Class<?> current = type.getSuperclass(); current != null; current = current.getSuperclass()) {
      for (Method method : current.getDeclaredMethods()) {
        if (method.getName().equals(methodName) && !Modifier.isAbstract(method.getModifiers())) {
          declaring.add(current.getName());
        }
      }
    }
  }
}
