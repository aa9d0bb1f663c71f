package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.advice.MethodAdvice;
import dev.usagemetrics.agent.advice.PersistAdvice;
import dev.usagemetrics.agent.advice.QueueAdvice;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.matching.ConfiguredHierarchies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.objectweb.asm.Type;

/**
 * What to weave into a class in a configured hierarchy (whether it is one is decided before, by
 * {@code ConfiguredHierarchies}): the persist advice into the configured persist methods that have
 * a body (also an interface's default method: the implementations that do not override it run
 * that code); the queue advice into the configured queue methods of classes; and the queue advice
 * into the shared JDK classes that declare methods an already-loaded configured queue inherits
 * (see {@link InheritedQueueMethods}).
 */
final class InstrumentationRules {

  private static final String COMPLETION_STAGE = CompletionStage.class.getName();

  private final List<PersistTarget> persistTargets;
  private final List<QueueTarget> queueTargets;
  private final List<QueueMethods> queueMethods = new ArrayList<>();
  /** Internal names of the shared classes to instrument in place. */
  private final Set<String> sharedClasses = new HashSet<>();
  /** Whether a return type is a {@code CompletionStage}: read like the configured hierarchies. */
  private final ConfiguredHierarchies completionStages =
      new ConfiguredHierarchies(List.of(COMPLETION_STAGE));

  private final InheritedQueueMethods inheritedQueueMethods;

  /**
   * {@code inheritedFrom} names the JDK classes to instrument in place for already-loaded
   * configured queues (see {@link InheritedQueueMethods}).
   */
  InstrumentationRules(AgentConfig config, Set<String> inheritedFrom) {
    persistTargets = config.persistTargets();
    queueTargets = config.queueTargets();
    for (QueueTarget target : queueTargets) {
      queueMethods.add(new QueueMethods(target));
    }
    for (String name : inheritedFrom) {
      sharedClasses.add(name.replace('.', '/'));
    }
    inheritedQueueMethods = new InheritedQueueMethods(queueTargets);
  }

  /** Every configured method name, persist and queue: a class declaring none of them gets no advice of its own. */
  Set<String> methodNames() {
    Set<String> names = new HashSet<>();
    for (PersistTarget target : persistTargets) {
      names.addAll(target.methodNames());
    }
    for (QueueTarget target : queueTargets) {
      names.addAll(QueueMethods.names(target));
    }
    return names;
  }

  /** Internal names of the configured queue types. */
  List<String> queueTypes() {
    List<String> names = new ArrayList<>();
    for (QueueTarget target : queueTargets) {
      names.add(target.className().replace('.', '/'));
    }
    return names;
  }

  /** Internal names of the shared JDK classes to instrument although the name filter rejects the JDK's. */
  Set<String> sharedClasses() {
    return sharedClasses;
  }

  /**
   * The advice for each method of {@code type} (by name and descriptor), which is or derives from
   * {@code configuredTypes} and is defined by {@code loader}; empty when none applies. A method
   * gets at most one persist and one queue advice, however many configured types it is under: the
   * bridge counts nested calls once anyway.
   */
  Map<String, List<MethodAdvice>> adviceFor(
      ClassOutline type, Set<String> configuredTypes, ClassLoader loader) {
    Map<String, List<MethodAdvice>> advice = new LinkedHashMap<>();
    for (PersistTarget target : persistTargets) {
      if (configuredTypes.contains(target.className())) {
        for (ClassOutline.MethodOutline method : type.methods()) {
          if (method.isInstanceMethodWithBody() && target.methodNames().contains(method.name())) {
            add(
                advice,
                method,
                returnsStage(method, loader)
                    ? PersistAdvice.ASYNCHRONOUS
                    : PersistAdvice.SYNCHRONOUS);
          }
        }
      }
    }
    boolean shared = sharedClasses.contains(type.internalName());
    for (int i = 0; i < queueTargets.size(); i++) {
      boolean configured = configuredTypes.contains(queueTargets.get(i).className());
      if ((configured && !type.isInterface()) || shared) {
        int flag = configured ? 0 : UsageMetricsBridge.IN_SHARED_CLASS;
        for (ClassOutline.MethodOutline method : type.methods()) {
          int kind = queueMethods.get(i).kindOf(method);
          if (kind != QueueMethods.NONE) {
            add(advice, method, new QueueAdvice(kind | flag));
          }
        }
      }
    }
    return advice;
  }

  /** Adds {@code added} unless the method already has advice of its kind. */
  private static void add(
      Map<String, List<MethodAdvice>> advice,
      ClassOutline.MethodOutline method,
      MethodAdvice added) {
    List<MethodAdvice> methodAdvice =
        advice.computeIfAbsent(method.signature(), signature -> new ArrayList<>(1));
    for (MethodAdvice present : methodAdvice) {
      if (present.getClass() == added.getClass()) {
        return;
      }
    }
    methodAdvice.add(added);
  }

  /** True when {@code method} is declared to return a {@code CompletionStage} or a subtype. */
  private boolean returnsStage(ClassOutline.MethodOutline method, ClassLoader loader) {
    Type returned = Type.getReturnType(method.descriptor());
    return returned.getSort() == Type.OBJECT
        && !completionStages.ofSuperType(loader, returned.getInternalName()).isEmpty();
  }

  InheritedQueueMethods inheritedQueueMethods() {
    return inheritedQueueMethods;
  }
}
