package dev.usagemetrics.agent.installation;

import dev.usagemetrics.agent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's class file transformer: rejects a class by its name alone when it cannot be a
 * target, otherwise describes it from its class file (super types are read through its class
 * loader, nothing is loaded), and weaves in the advice of every rule that applies.
 *
 * <p>Never throws: a class that cannot be instrumented loads unchanged and is reported once.
 */
public final class AdviceTransformer implements ClassFileTransformer {

  /** Internal-name prefixes of classes that are never targets: the JDK and the agent itself. */
  private static final String[] NOT_APPLICATION_CODE = {"java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/usagemetrics/agent/"};

  private final List<AdviceRule> rules;
  private final InheritedQueueMethods inheritedQueueMethods;
  private final Set<String> sharedClassesToInstrument;
  private final TargetReport report;
  /** Set while this thread transforms: a class loaded meanwhile (by a class loader's own code) is left alone. */
  private final ThreadLocal<Boolean> transforming = new ThreadLocal<>();

  /**
   * {@code sharedClassesToInstrument}: internal names of JDK classes that must be instrumented
   * although the name filter would reject them (see {@link InheritedQueueMethods}).
   */
  AdviceTransformer(
      List<AdviceRule> rules,
      InheritedQueueMethods inheritedQueueMethods,
      Set<String> sharedClassesToInstrument,
      TargetReport report) {
    this.rules = List.copyOf(rules);
    this.inheritedQueueMethods = inheritedQueueMethods;
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
      return instrument(loader, name, classFile, classBeingRetransformed != null);
    } catch (Throwable problem) {
      AgentLog.warnOnce("transform:" + name, "could not instrument " + name + ", it runs unmeasured: " + problem);
      return null;
    } finally {
      transforming.remove();
    }
  }

  /**
   * Builds the advice of every rule now (each is otherwise built when a class first needs it):
   * run on a background thread from premain, so that the first instrumented class rarely waits.
   */
  public void prepareAdvice() {
    try {
      for (AdviceRule rule : rules) {
        rule.advice();
      }
    } catch (Throwable problem) {
      // The first class that needs the advice fails the same way, and reports it.
      AgentLog.debug("advice could not be prepared ahead of use: " + problem);
    }
  }

  /** True unless the name alone shows the class is not one to instrument. */
  boolean mayBeTarget(String internalName) {
    for (String prefix : NOT_APPLICATION_CODE) {
      if (internalName.startsWith(prefix)) {
        return sharedClassesToInstrument.contains(internalName);
      }
    }
    return true;
  }

  /** The instrumented class file, or null to leave the class unchanged. */
  private byte[] instrument(ClassLoader loader, String name, byte[] classFile, boolean retransforming) {
    TypePool pool = poolFor(loader, name, classFile);
    TypeDescription type = pool.describe(name).resolve();
    report.seen(type);
    List<AsmVisitorWrapper> advice = adviceFor(type);
    if (advice.isEmpty()) {
      return null;
    }
    byte[] source = classFile;
    if (!retransforming) {
      // Methods can only be added when a class first loads, never when it is retransformed.
      byte[] withOverrides = inheritedQueueMethods.addOverrides(type, classFile);
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
    return !adviceFor(type).isEmpty();
  }

  private List<AsmVisitorWrapper> adviceFor(TypeDescription type) {
    List<AsmVisitorWrapper> advice = new ArrayList<>(1);
    for (AdviceRule rule : rules) {
      if (rule.appliesTo(type)) {
        advice.add(rule.advice());
      }
    }
    return advice;
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
