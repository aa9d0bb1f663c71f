package dev.usagemetrics.agent.installation;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.usagemetrics.agent.advice.AsyncPersistAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Installs the advice on the configured classes and on every class that extends or implements
 * them (and, for persist targets, on interfaces giving a configured method a default body),
 * including classes loaded later and (when attached at runtime) classes already loaded.
 *
 * <p>A configured queue may inherit its methods, e.g. from a JDK collection: see
 * {@link InheritedQueueMethods}. At run time the queue advice counts only instances of configured
 * classes.
 */
public final class InstrumentationInstaller {

  private static final Advice PERSIST = Advice.to(PersistAdvice.class);
  private static final Advice ASYNC_PERSIST = Advice.to(AsyncPersistAdvice.class);

  private InstrumentationInstaller() {}

  /**
   * Installs the transformers. {@code attached}: the application is already running, so classes
   * already loaded are retransformed; at {@code -javaagent} startup none of them is loaded yet,
   * and skipping that scan keeps startup short.
   */
  public static void install(Instrumentation instrumentation, AgentConfig config, TargetReport report, boolean attached) {
    // The advice is inlined and needs no initializer, so ByteBuddy's Nexus is switched off: setting
    // it up probes sun.misc.Unsafe, which Java 24+ warns about on the application's stderr. (The
    // property name is relocated with ByteBuddy, so it only affects the agent's own copy.)
    System.setProperty("net.bytebuddy.nexus.disabled", "true");
    Set<String> inheritedFrom = InheritedQueueMethods.declaringClassesForLoadedTargets(instrumentation, config.queueTargets());
    if (!config.queueTargets().isEmpty()) {
      InheritedQueueMethods.installOverrides(instrumentation, config.queueTargets());
    }
    AgentBuilder builder =
        new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
            .disableClassFormatChanges()
            .with(attached ? AgentBuilder.RedefinitionStrategy.RETRANSFORMATION : AgentBuilder.RedefinitionStrategy.DISABLED)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new TransformationListener(report))
            .ignore(notApplicationCode().and(not(namedOneOf(inheritedFrom.toArray(new String[0])))));
    for (PersistTarget target : config.persistTargets()) {
      ElementMatcher.Junction<MethodDescription> methods = QueueMethods.bodyOf(target.methodNames());
      ElementMatcher.Junction<MethodDescription> async = returns(isSubTypeOf(CompletionStage.class));
      builder =
          builder
              .type(implementationOf(target.className()).or(interfaceWithBodyOf(target.className(), methods)))
              .transform(
                  (type, description, loader, module, domain) ->
                      type.visit(PERSIST.on(methods.and(not(async)))).visit(ASYNC_PERSIST.on(methods.and(async))));
    }
    for (QueueTarget target : config.queueTargets()) {
      QueueMethods methods = new QueueMethods(target);
      builder =
          builder
              .type(implementationOf(target.className()).or(namedOneOf(inheritedFrom.toArray(new String[0]))))
              .transform(
                  (type, description, loader, module, domain) ->
                      methods.instrument(type, inheritedFrom.contains(description.getName())));
    }
    builder.installOn(instrumentation);
  }

  /**
   * The type named {@code className} and every type extending or implementing it. A type whose
   * super types cannot all be described (their class files are not readable: classes another
   * agent or a framework defined at run time, such as the OpenTelemetry Java agent's) does not
   * match instead of failing: such failures would otherwise be reported for classes that have
   * nothing to do with the configuration.
   */
  static ElementMatcher.Junction<TypeDescription> hierarchyOf(String className) {
    return failSafe(hasSuperType(named(className)));
  }

  /** The class itself or anything extending or implementing it, except interfaces. */
  private static ElementMatcher.Junction<TypeDescription> implementationOf(String className) {
    return not(isInterface()).and(hierarchyOf(className));
  }

  /**
   * An interface in the hierarchy that gives a configured method a body (a default method):
   * implementations that do not override it run this code.
   */
  private static ElementMatcher.Junction<TypeDescription> interfaceWithBodyOf(
      String className, ElementMatcher.Junction<MethodDescription> methods) {
    // Its own methods first: cheap, and false for nearly every interface, before the hierarchy walk.
    return isInterface().and(declaresMethod(methods)).and(hierarchyOf(className));
  }

  /** Types rejected by name alone, before anything costly: the JDK, the agent itself, generated code. */
  static ElementMatcher.Junction<TypeDescription> notApplicationCode() {
    return nameStartsWith("java.")
        .or(nameStartsWith("javax."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("dev.usagemetrics.agent."))
        .or(isSynthetic());
  }
}
