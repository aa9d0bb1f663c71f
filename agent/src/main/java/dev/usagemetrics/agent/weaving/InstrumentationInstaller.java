package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.ConfiguredHierarchies;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs the advice on the configured classes and on every class that extends or implements
 * them (see {@link InstrumentationRules}), including classes loaded later and (when attached at
 * runtime) classes already loaded.
 *
 * <p>A configured queue may inherit its methods, e.g. from a JDK collection: see
 * {@link InheritedQueueMethods}. At run time the queue advice counts only instances of configured
 * classes.
 */
public final class InstrumentationInstaller {

  private InstrumentationInstaller() {}

  /**
   * Installs the transformer. {@code attached}: the application is already running, so classes
   * already loaded are retransformed.
   */
  public static void install(
      Instrumentation instrumentation, AgentConfig config, TargetReport report, boolean attached) {
    Set<String> inheritedFrom = InheritedQueueMethods.declaringClassesForLoadedTargets(
        instrumentation, config.queueTargets());
    AdviceTransformer transformer = transformerFor(config, report, inheritedFrom);
    instrumentation.addTransformer(transformer, attached);
    // Taken after the transformer is added: a class loading meanwhile is seen by one or the other.
    Class<?>[] loaded = instrumentation.getAllLoadedClasses();
    for (Class<?> type : loaded) {
      report.seenLoaded(type);
    }
    if (attached) {
      retransformLoaded(instrumentation, transformer, loaded);
    }
  }

  /** The transformer for {@code config}; see {@link InstrumentationRules} for {@code inheritedFrom}. */
  static AdviceTransformer transformerFor(
      AgentConfig config, TargetReport report, Set<String> inheritedFrom) {
    Set<String> configuredClasses = new LinkedHashSet<>();
    for (PersistTarget target : config.persistTargets()) {
      configuredClasses.add(target.className());
    }
    for (QueueTarget target : config.queueTargets()) {
      configuredClasses.add(target.className());
    }
    return new AdviceTransformer(
        new InstrumentationRules(config, inheritedFrom),
        new ConfiguredHierarchies(configuredClasses),
        report);
  }

  /**
   * Retransforms the already-loaded classes that may be instrumented, one per call: one failure
   * spares the rest, and the application's threads are never held for more than one class. They
   * are chosen from what the JVM knows of them ({@link AdviceTransformer#isCandidate}), so no
   * other class is described; for a chosen one that cannot be instrumented, the warning says so.
   */
  private static void retransformLoaded(
      Instrumentation instrumentation, AdviceTransformer transformer, Class<?>[] loaded) {
    long startNanos = System.nanoTime();
    List<Class<?>> candidates = new ArrayList<>();
    for (Class<?> type : loaded) {
      if (!type.isArray()
          && !type.isPrimitive()
          && instrumentation.isModifiableClass(type)
          && transformer.isCandidate(type)) {
        candidates.add(type);
      }
    }
    long chosenNanos = System.nanoTime();
    for (Class<?> candidate : candidates) {
      try {
        instrumentation.retransformClasses(candidate);
      } catch (Throwable problem) {
        AgentLog.warnOnce(
            "transform:" + candidate.getName(),
            "could not instrument the already loaded " + candidate.getName()
                + ", it runs unmeasured: " + problem);
      }
    }
    AgentLog.debug(candidates.size() + " of " + loaded.length + " loaded classes chosen in "
        + millis(chosenNanos - startNanos) + " ms, retransformed in "
        + millis(System.nanoTime() - chosenNanos) + " ms; " + transformer.knownTypes()
        + " types' hierarchies known");
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
