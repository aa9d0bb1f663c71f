package dev.usagemetrics.agent.weaving;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSubTypeOf;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.usagemetrics.agent.advice.AdviceClassFiles;
import dev.usagemetrics.agent.advice.AsyncPersistAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.log.AgentLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What to instrument, built from the configuration: the configured classes and every class that
 * extends or implements them (and, for persist targets, interfaces giving a configured method a
 * default body), each with its advice; and the inherited queue methods to override. Whether a
 * class is in a configured type's hierarchy is decided before, by {@code ConfiguredHierarchies}:
 * the rules only add what their advice needs of its shape.
 *
 * <p>Building these loads ByteBuddy's type matching (and, on first use of the advice, its advice
 * machinery): a few hundred milliseconds in a cold JVM, which is why {@link AdviceTransformer}
 * builds them off premain.
 */
final class InstrumentationRules {

  private final List<AdviceRule> rules = new ArrayList<>();
  private final InheritedQueueMethods inheritedQueueMethods;

  /**
   * {@code inheritedFrom} names the JDK classes to instrument in place for already-loaded
   * configured queues (see {@link InheritedQueueMethods}).
   */
  InstrumentationRules(AgentConfig config, Set<String> inheritedFrom) {
    for (PersistTarget target : config.persistTargets()) {
      ElementMatcher.Junction<MethodDescription> methods =
          QueueMethods.bodyOf(target.methodNames());
      ElementMatcher.Junction<MethodDescription> async =
          returns(isSubTypeOf(CompletionStage.class));
      // An interface only when it gives a configured method a body (a default method): the
      // implementations that do not override it run this code.
      rules.add(new AdviceRule(
          target.className(),
          not(isInterface()).or(declaresMethod(methods)),
          () -> new AsmVisitorWrapper.Compound(
              PersistAdvices.SYNCHRONOUS.on(methods.and(not(async))),
              PersistAdvices.ASYNCHRONOUS.on(methods.and(async)))));
    }
    for (QueueTarget target : config.queueTargets()) {
      QueueMethods methods = new QueueMethods(target);
      rules.add(
          new AdviceRule(target.className(), not(isInterface()), () -> methods.advice(false)));
      if (!inheritedFrom.isEmpty()) {
        rules.add(new AdviceRule(
            null, namedOneOf(inheritedFrom.toArray(new String[0])), () -> methods.advice(true)));
      }
    }
    inheritedQueueMethods = new InheritedQueueMethods(config.queueTargets());
  }

  /**
   * The advice of every rule that applies to {@code type}, which is or derives from
   * {@code configuredTypes}; empty when none does.
   */
  List<AsmVisitorWrapper> adviceFor(TypeDescription type, Set<String> configuredTypes) {
    List<AsmVisitorWrapper> advice = new ArrayList<>(1);
    for (AdviceRule rule : rules) {
      if (rule.appliesTo(type, configuredTypes)) {
        advice.add(rule.advice());
      }
    }
    return advice;
  }

  InheritedQueueMethods inheritedQueueMethods() {
    return inheritedQueueMethods;
  }

  /** Builds every rule's advice now, instead of when a class first needs it. */
  void prepareAdvice() {
    try {
      for (AdviceRule rule : rules) {
        rule.advice();
      }
    } catch (Throwable problem) {
      // The first class that needs the advice fails the same way, and reports it.
      AgentLog.debug("advice could not be prepared ahead of use: " + problem);
    }
  }

  /** The persist advice, parsed once, when first needed (a holder class: the JVM makes it lazy and thread-safe). */
  private static final class PersistAdvices {
    static final Advice SYNCHRONOUS =
        AdviceClassFiles.of(Advice.withCustomMapping(), PersistAdvice.class);
    static final Advice ASYNCHRONOUS =
        AdviceClassFiles.of(Advice.withCustomMapping(), AsyncPersistAdvice.class);
  }
}
