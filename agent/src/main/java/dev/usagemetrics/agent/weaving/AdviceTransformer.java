package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.ConfiguredHierarchies;
import dev.usagemetrics.agent.matching.JdkProxyNames;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's class file transformer. A class is rejected by its name, or as outside every
 * configured hierarchy by {@link ConfiguredHierarchies} (from its class file's header and what is
 * known of its super types), before anything about it is described or the rules are needed. Only
 * a class in a configured hierarchy is described from its class file (super types read through
 * its class loader, nothing loaded) and woven with the advice of every rule that applies.
 *
 * <p>The rules are built once, by {@link #prepare()} on a background thread from premain or by
 * the first class in a configured hierarchy, whichever comes first; the other waits. Premain
 * therefore only registers this transformer, and classes outside the configured hierarchies
 * never wait for the rules.
 *
 * <p>Never throws: a class that cannot be instrumented loads unchanged. Only a class in a
 * configured hierarchy is reported, once, as a warning: a class outside them that cannot even be
 * looked at (e.g. a class file this agent cannot read) concerns no configured target, and is at
 * most a debug line.
 */
public final class AdviceTransformer implements ClassFileTransformer {

  /**
   * Internal-name prefixes of classes that are never targets: the JDK and the agent itself; except
   * the JDK's dynamic proxies ({@link JdkProxyNames}) and the shared classes named to the constructor.
   */
  private static final String[] NOT_APPLICATION_CODE = {
    "java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/usagemetrics/agent/"
  };

  private final Supplier<InstrumentationRules> rulesFactory;
  private final ConfiguredHierarchies hierarchies;
  private final Set<String> sharedClassesToInstrument;
  private final TargetReport report;
  /** Set while this thread transforms: a class loaded meanwhile (by a class loader's own code) is left alone. */
  private final ThreadLocal<Boolean> transforming = new ThreadLocal<>();

  private volatile InstrumentationRules rules;
  /** The thread building the rules, while it does. Guarded by this. */
  private Thread building;
  /** Set when building the rules failed: nothing is instrumented. Guarded by this. */
  private boolean failed;

  /**
   * {@code hierarchies}: the configured types' hierarchies, as the rules use them;
   * {@code sharedClassesToInstrument}: internal names of JDK classes that must be instrumented
   * although the name filter would reject them (see {@link InheritedQueueMethods}).
   */
  AdviceTransformer(
      Supplier<InstrumentationRules> rulesFactory,
      ConfiguredHierarchies hierarchies,
      Set<String> sharedClassesToInstrument,
      TargetReport report) {
    this.rulesFactory = rulesFactory;
    this.hierarchies = hierarchies;
    this.sharedClassesToInstrument = Set.copyOf(sharedClassesToInstrument);
    this.report = report;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String internalName,
      Class<?> classBeingRetransformed,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    if (internalName == null || !mayBeTarget(internalName) || transforming.get() != null) {
      return null;
    }
    transforming.set(Boolean.TRUE);
    String name = internalName.replace('/', '.');
    Set<String> configuredTypes = null;
    try {
      configuredTypes = hierarchies.ofClassFile(loader, internalName, classFile);
      if (configuredTypes.isEmpty() && !sharedClassesToInstrument.contains(internalName)) {
        return null;
      }
      return instrument(loader, name, classFile, configuredTypes, classBeingRetransformed != null);
    } catch (Throwable problem) {
      if (configuredTypes == null && !hierarchies.isConfigured(internalName)) {
        AgentLog.debug("could not look at " + name
            + " (not a configured class), it runs unmeasured: " + problem);
      } else {
        AgentLog.warnOnce(
            "transform:" + name,
            "could not instrument " + name + ", it runs unmeasured: " + problem);
      }
      return null;
    } finally {
      transforming.remove();
    }
  }

  /** Builds the rules and their advice now, so that the first class that needs them rarely waits. */
  public void prepare() {
    InstrumentationRules built = rules();
    if (built != null) {
      built.prepareAdvice();
    }
  }

  /**
   * The rules, built by the first thread that asks; the others wait for them. Null on the
   * building thread itself (a class its building loads is the JDK's or the agent's) and when
   * building failed (reported once: then nothing is instrumented).
   */
  private InstrumentationRules rules() {
    InstrumentationRules built = rules;
    if (built != null) {
      return built;
    }
    synchronized (this) {
      if (rules != null || failed || building == Thread.currentThread()) {
        return rules;
      }
      building = Thread.currentThread();
      try {
        rules = rulesFactory.get();
      } catch (Throwable problem) {
        failed = true;
        AgentLog.error(
            "instrumentation could not be prepared, nothing will be measured (the application is unaffected): "
                + problem);
      } finally {
        building = null;
      }
      return rules;
    }
  }

  /** True unless the name alone shows the class is not one to instrument. */
  boolean mayBeTarget(String internalName) {
    for (String prefix : NOT_APPLICATION_CODE) {
      if (internalName.startsWith(prefix)) {
        return JdkProxyNames.isProxy(internalName)
            || sharedClassesToInstrument.contains(internalName);
      }
    }
    return true;
  }

  /**
   * True when the loaded class {@code type} may be instrumented: its name passes the filter and it
   * is a shared class or in a configured hierarchy. Decided from {@code Class} objects alone:
   * nothing is described, no class file read.
   */
  boolean isCandidate(Class<?> type) {
    String internalName = type.getName().replace('.', '/');
    return mayBeTarget(internalName)
        && (sharedClassesToInstrument.contains(internalName)
            || !hierarchies.ofLoadedClass(type).isEmpty());
  }

  /** How many types the transformer knows the configured hierarchies of (see {@link ConfiguredHierarchies}). */
  int knownTypes() {
    return hierarchies.knownTypes();
  }

  /**
   * The instrumented class file, or null to leave the class unchanged. The class is reported seen
   * before the rules are awaited: whether a configured class loaded does not depend on them.
   */
  private byte[] instrument(
      ClassLoader loader,
      String name,
      byte[] classFile,
      Set<String> configuredTypes,
      boolean retransforming) {
    TypePool pool = poolFor(loader, name, classFile);
    TypeDescription type = pool.describe(name).resolve();
    report.seen(type);
    InstrumentationRules rules = rules();
    List<AsmVisitorWrapper> advice =
        rules == null ? List.of() : rules.adviceFor(type, configuredTypes);
    if (advice.isEmpty()) {
      return null;
    }
    byte[] source = classFile;
    if (!retransforming) {
      // Methods can only be added when a class first loads, never when it is retransformed.
      byte[] withOverrides = rules
          .inheritedQueueMethods()
          .addOverrides(
              type,
              classFile,
              configuredTypes,
              superclass ->
                  mayBeTarget(superclass) ? hierarchies.ofSuperType(loader, superclass) : Set.of());
      if (withOverrides != null) {
        source = withOverrides;
        pool = poolFor(loader, name, source);
        type = pool.describe(name).resolve();
      }
    }
    byte[] woven = ClassWeaver.weave(type, source, pool, new AsmVisitorWrapper.Compound(advice));
    AgentLog.debug(
        "instrumented " + name + (retransforming ? " (already loaded: retransformed)" : ""));
    return woven;
  }

  /**
   * Describes {@code name} from {@code classFile} (which may already carry another agent's
   * changes) and its super types through {@code loader}, as ByteBuddy's agent builder does.
   */
  private static TypePool poolFor(ClassLoader loader, String name, byte[] classFile) {
    ClassFileLocator locator = new ClassFileLocator.Compound(
        ClassFileLocator.Simple.of(name, classFile), ClassFileLocator.ForClassLoader.of(loader));
    return new TypePool.Default.WithLazyResolution(
        TypePool.CacheProvider.Simple.withObjectType(), locator, TypePool.Default.ReaderMode.FAST);
  }
}
