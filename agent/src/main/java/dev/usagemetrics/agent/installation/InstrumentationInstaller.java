package dev.usagemetrics.agent.installation;

import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;

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
   * Installs the transformer. {@code attached}: the application is already running, so the rules
   * are built now and classes already loaded are retransformed. At {@code -javaagent} startup none
   * of them is loaded yet: the caller builds the rules off the main thread with
   * {@link AdviceTransformer#prepare()} (a class that needs them first builds or awaits them).
   *
   * @return the installed transformer
   */
  public static AdviceTransformer install(Instrumentation instrumentation, AgentConfig config, TargetReport report, boolean attached) {
    Set<String> inheritedFrom = InheritedQueueMethods.declaringClassesForLoadedTargets(instrumentation, config.queueTargets());
    AdviceTransformer transformer = transformerFor(config, report, inheritedFrom);
    instrumentation.addTransformer(transformer, attached);
    if (attached) {
      transformer.prepare();
      retransformLoaded(instrumentation, transformer, report);
    }
    return transformer;
  }

  /** The transformer for {@code config}; see {@link InstrumentationRules} for {@code inheritedFrom}. */
  static AdviceTransformer transformerFor(AgentConfig config, TargetReport report, Set<String> inheritedFrom) {
    Set<String> configuredClasses = new HashSet<>();
    config.persistTargets().stream().map(PersistTarget::className).forEach(name -> configuredClasses.add(internalName(name)));
    config.queueTargets().stream().map(QueueTarget::className).forEach(name -> configuredClasses.add(internalName(name)));
    Set<String> sharedClasses = new HashSet<>();
    inheritedFrom.forEach(name -> sharedClasses.add(internalName(name)));
    return new AdviceTransformer(() -> new InstrumentationRules(config, inheritedFrom), configuredClasses, sharedClasses, report);
  }

  /** Retransforms the already-loaded classes the transformer instruments, one by one, so one failure spares the rest. */
  private static void retransformLoaded(Instrumentation instrumentation, AdviceTransformer transformer, TargetReport report) {
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      if (!instrumentation.isModifiableClass(loaded) || loaded.isArray() || !transformer.mayBeTarget(internalName(loaded.getName()))) {
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

  private static String internalName(String className) {
    return className.replace('.', '/');
  }
}
