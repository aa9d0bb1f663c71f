package dev.usagemetrics.agent.installation;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.usagemetrics.agent.advice.AsyncPersistAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import java.lang.instrument.Instrumentation;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Installs the advice on the configured classes and on every class that extends or implements
 * them, including classes loaded later and (when attached at runtime) classes already loaded.
 *
 * <p>A configured queue may inherit its methods from a JDK collection ({@code class Backlog
 * extends ArrayBlockingQueue}), so the JDK's own collection classes that declare a configured
 * method are instrumented too; at run time the advice counts only instances of configured classes.
 */
public final class InstrumentationInstaller {

  private static final Advice PERSIST = Advice.to(PersistAdvice.class);
  private static final Advice ASYNC_PERSIST = Advice.to(AsyncPersistAdvice.class);
  private static final String JDK_COLLECTIONS_PACKAGE = "java.util.";

  private InstrumentationInstaller() {}

  public static ResettableClassFileTransformer install(
      Instrumentation instrumentation, AgentConfig config, TargetReport report) {
    AgentBuilder builder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
            .with(new TransformationListener(report))
            .ignore(notInstrumentable(!config.queueTargets().isEmpty()));
    for (PersistTarget target : config.persistTargets()) {
      ElementMatcher.Junction<MethodDescription> methods = QueueMethods.bodyOf(target.methodNames());
      ElementMatcher.Junction<MethodDescription> async = returns(isSubTypeOf(CompletionStage.class));
      builder =
          builder
              .type(implementationOf(target.className()))
              .transform(
                  (type, description, loader, module, domain) ->
                      type.visit(PERSIST.on(methods.and(not(async)))).visit(ASYNC_PERSIST.on(methods.and(async))));
    }
    for (QueueTarget target : config.queueTargets()) {
      QueueMethods methods = new QueueMethods(target);
      builder =
          builder
              .type(implementationOf(target.className()).or(jdkCollectionDeclaring(methods.all())))
              .transform((type, description, loader, module, domain) -> methods.instrument(type));
    }
    return builder.installOn(instrumentation);
  }

  /** The class itself or anything extending or implementing it, except interfaces. */
  private static ElementMatcher.Junction<TypeDescription> implementationOf(String className) {
    return not(isInterface()).and(hasSuperType(named(className)));
  }

  /** A JDK collection class (or interface with a default method) declaring one of {@code methods}. */
  private static ElementMatcher.Junction<TypeDescription> jdkCollectionDeclaring(ElementMatcher<? super MethodDescription> methods) {
    return nameStartsWith(JDK_COLLECTIONS_PACKAGE).and(isSubTypeOf(Collection.class)).and(declaresMethod(methods));
  }

  /**
   * Types rejected by name alone, before anything costly: the JDK (except its collections when a
   * queue is configured), the agent itself, generated code.
   */
  private static ElementMatcher.Junction<TypeDescription> notInstrumentable(boolean jdkCollectionsNeeded) {
    ElementMatcher.Junction<TypeDescription> jdk =
        jdkCollectionsNeeded ? nameStartsWith("java.").and(not(nameStartsWith(JDK_COLLECTIONS_PACKAGE))) : nameStartsWith("java.");
    return jdk.or(nameStartsWith("javax."))
        .or(nameStartsWith("jdk."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("dev.usagemetrics.agent."))
        .or(isSynthetic());
  }
}
