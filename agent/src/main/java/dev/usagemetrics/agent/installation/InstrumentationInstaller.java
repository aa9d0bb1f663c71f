package dev.usagemetrics.agent.installation;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.usagemetrics.agent.advice.AsyncPersistAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
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

  private InstrumentationInstaller() {}

  /**
   * Installs the transformer. {@code attached}: the application is already running, so classes
   * already loaded are retransformed; at {@code -javaagent} startup none of them is loaded yet,
   * and skipping that scan keeps startup short.
   *
   * @return the installed transformer, whose advice the caller may build ahead of first use
   */
  public static AdviceTransformer install(Instrumentation instrumentation, AgentConfig config, TargetReport report, boolean attached) {
    Set<String> inheritedFrom = InheritedQueueMethods.declaringClassesForLoadedTargets(instrumentation, config.queueTargets());
    AdviceTransformer transformer = transformerFor(config, report, inheritedFrom);
    instrumentation.addTransformer(transformer, attached);
    if (attached) {
      retransformLoaded(instrumentation, transformer, report);
    }
    return transformer;
  }

  /**
   * The transformer for {@code config}; {@code inheritedFrom} names the JDK classes to instrument
   * in place for already-loaded configured queues (see {@link InheritedQueueMethods}).
   */
  static AdviceTransformer transformerFor(AgentConfig config, TargetReport report, Set<String> inheritedFrom) {
    List<AdviceRule> rules = new ArrayList<>();
    for (PersistTarget target : config.persistTargets()) {
      ElementMatcher.Junction<MethodDescription> methods = QueueMethods.bodyOf(target.methodNames());
      ElementMatcher.Junction<MethodDescription> async = returns(isSubTypeOf(CompletionStage.class));
      rules.add(new AdviceRule(
          implementationOf(target.className()).or(interfaceWithBodyOf(target.className(), methods)),
          () -> new AsmVisitorWrapper.Compound(
              PersistAdvices.SYNCHRONOUS.on(methods.and(not(async))), PersistAdvices.ASYNCHRONOUS.on(methods.and(async)))));
    }
    for (QueueTarget target : config.queueTargets()) {
      QueueMethods methods = new QueueMethods(target);
      rules.add(new AdviceRule(implementationOf(target.className()), () -> methods.advice(false)));
      if (!inheritedFrom.isEmpty()) {
        rules.add(new AdviceRule(namedOneOf(inheritedFrom.toArray(new String[0])), () -> methods.advice(true)));
      }
    }
    Set<String> sharedClasses = new HashSet<>();
    inheritedFrom.forEach(name -> sharedClasses.add(name.replace('.', '/')));
    return new AdviceTransformer(rules, new InheritedQueueMethods(config.queueTargets()), sharedClasses, report);
  }

  /** Retransforms the already-loaded classes the transformer instruments, one by one, so one failure spares the rest. */
  private static void retransformLoaded(Instrumentation instrumentation, AdviceTransformer transformer, TargetReport report) {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      String internalName = loaded.getName().replace('.', '/');
      if (!instrumentation.isModifiableClass(loaded) || loaded.isArray() || !transformer.mayBeTarget(internalName)) {
        continue;
      }
      try {
        TypeDescription type = TypeDescription.ForLoadedType.of(loaded);
        report.seen(type);
        if (transformer.instruments(type)) {
          instrumentation.retransformClasses(loaded);
        }
      } catch (Throwable problem) {
        AgentLog.warnOnce("transform:" + loaded.getName(),
            "could not instrument the already loaded " + loaded.getName() + ", it runs unmeasured: " + problem);
      }
    }
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

  /** The persist advice, parsed once, when first needed (a holder class: the JVM makes it lazy and thread-safe). */
  private static final class PersistAdvices {
    static final Advice SYNCHRONOUS = Advice.to(PersistAdvice.class);
    static final Advice ASYNCHRONOUS = Advice.to(AsyncPersistAdvice.class);
  }
}
