package dev.usagemetrics.agent.installation;

import dev.usagemetrics.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's class file transformer: rejects a class by its name, or by its class file header
 * (a class extending only {@code Object} and implementing nothing cannot be in a configured
 * hierarchy), before anything costly; otherwise describes it from its class file (super types are
 * read through its class loader, nothing is loaded) and weaves in the advice of every rule that
 * applies.
 *
 * <p>The rules are built once, by {@link #prepare()} on a background thread from premain or by
 * the first class that needs them, whichever comes first; the other waits. Premain therefore only
 * registers this transformer.
 *
 * <p>Never throws: a class that cannot be instrumented loads unchanged and is reported once.
 */
public final class AdviceTransformer implements ClassFileTransformer {

  /**
   * Internal-name prefixes of classes that are never targets: the JDK and the agent itself; except
   * the JDK's dynamic proxies ({@link JdkProxyNames}) and the shared classes named to the constructor.
   */
  private static final String[] NOT_APPLICATION_CODE = {"java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/usagemetrics/agent/"};

  private static final String OBJECT = "java/lang/Object";

  private final Supplier<InstrumentationRules> rulesFactory;
  private final Set<String> configuredClasses;
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
   * {@code configuredClasses}: internal names of the configured classes;
   * {@code sharedClassesToInstrument}: internal names of JDK classes that must be instrumented
   * although the name filter would reject them (see {@link InheritedQueueMethods}).
   */
  AdviceTransformer(
      Supplier<InstrumentationRules> rulesFactory,
      Set<String> configuredClasses,
      Set<String> sharedClassesToInstrument,
      TargetReport report) {
    this.rulesFactory = rulesFactory;
    this.configuredClasses = Set.copyOf(configuredClasses);
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
    try {
      if (!configuredClasses.contains(internalName) && extendsNothing(classFile)) {
        return null;
      }
      InstrumentationRules built = rules();
      return built == null ? null : instrument(built, loader, name, classFile, classBeingRetransformed != null);
    } catch (Throwable problem) {
      AgentLog.warnOnce("transform:" + name, "could not instrument " + name + ", it runs unmeasured: " + problem);
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
        AgentLog.error("instrumentation could not be prepared, nothing will be measured (the application is unaffected): " + problem);
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
        return JdkProxyNames.isProxy(internalName) || sharedClassesToInstrument.contains(internalName);
      }
    }
    return true;
  }

  /**
   * True when the class file's header shows a class that extends only {@code Object} and
   * implements no interface: it cannot be in any configured hierarchy. False when unsure.
   */
  private static boolean extendsNothing(byte[] classFile) {
    try {
      ClassReader header = new ClassReader(classFile);
      return OBJECT.equals(header.getSuperName()) && header.getInterfaces().length == 0;
    } catch (RuntimeException unreadable) {
      // A class file version this ASM does not know yet: the full path reads it.
      return false;
    }
  }

  /** The instrumented class file, or null to leave the class unchanged. */
  private byte[] instrument(InstrumentationRules rules, ClassLoader loader, String name, byte[] classFile, boolean retransforming) {
    TypePool pool = poolFor(loader, name, classFile);
    TypeDescription type = pool.describe(name).resolve();
    report.seen(type);
    List<AsmVisitorWrapper> advice = rules.adviceFor(type);
    if (advice.isEmpty()) {
      return null;
    }
    byte[] source = classFile;
    if (!retransforming) {
      // Methods can only be added when a class first loads, never when it is retransformed.
      byte[] withOverrides = rules.inheritedQueueMethods().addOverrides(type, classFile);
      if (withOverrides != null) {
        source = withOverrides;
        pool = poolFor(loader, name, source);
        type = pool.describe(name).resolve();
      }
    }
    byte[] woven = ClassWeaver.weave(type, source, pool, new AsmVisitorWrapper.Compound(advice));
    report.instrumented(name);
    AgentLog.debug("instrumented " + name + (retransforming ? " (already loaded: retransformed)" : ""));
    return woven;
  }

  /** True when some rule applies to {@code type}. */
  boolean instruments(TypeDescription type) {
    InstrumentationRules built = rules();
    return built != null && !built.adviceFor(type).isEmpty();
  }

  /**
   * Describes {@code name} from {@code classFile} (which may already carry another agent's
   * changes) and its super types through {@code loader}, as ByteBuddy's agent builder does.
   */
  private static TypePool poolFor(ClassLoader loader, String name, byte[] classFile) {
    ClassFileLocator locator =
        new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile), ClassFileLocator.ForClassLoader.of(loader));
    return new TypePool.Default.WithLazyResolution(
        TypePool.CacheProvider.Simple.withObjectType(), locator, TypePool.Default.ReaderMode.FAST);
  }
}
