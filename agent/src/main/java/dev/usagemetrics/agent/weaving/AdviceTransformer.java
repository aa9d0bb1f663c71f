package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.advice.MethodAdvice;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.ConfiguredHierarchies;
import dev.usagemetrics.agent.matching.DeclaredMethodNames;
import dev.usagemetrics.agent.matching.JdkProxyNames;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * The agent's class file transformer. A class is rejected by its name; then, from its constant
 * pool and its methods' names alone, as one that can need no advice ({@link
 * #needsAdviceItself}); then as outside every configured hierarchy by {@link
 * ConfiguredHierarchies} (from its class file's header and what is known of its super types,
 * which may mean reading their class files). Only a class in a configured hierarchy is outlined
 * from its class file and woven with the advice of every rule that applies.
 *
 * <p>Never throws: a class that cannot be instrumented loads unchanged. Only a class in a
 * configured hierarchy is reported, once, as a warning: a class outside them that cannot even be
 * looked at (e.g. a class file this agent cannot read) concerns no configured target, and is at
 * most a debug line.
 */
public final class AdviceTransformer implements ClassFileTransformer {

  /**
   * Internal-name prefixes of classes that are never targets: the JDK and the agent itself; except
   * the JDK's dynamic proxies ({@link JdkProxyNames}) and the shared classes of the rules.
   */
  private static final String[] NOT_APPLICATION_CODE = {
    "java/", "javax/", "jdk/", "sun/", "com/sun/", "dev/usagemetrics/agent/"
  };

  private static final String OBJECT = "java/lang/Object";

  private final InstrumentationRules rules;
  private final ConfiguredHierarchies hierarchies;
  private final Set<String> sharedClassesToInstrument;
  private final DeclaredMethodNames configuredMethodNames;
  /** Internal names of the configured queue types. */
  private final List<String> queueTypes;

  private final TargetReport report;
  /** Set while this thread transforms: a class loaded meanwhile (by a class loader's own code) is left alone. */
  private final ThreadLocal<Boolean> transforming = new ThreadLocal<>();

  /** {@code hierarchies}: the configured types' hierarchies, as the rules use them. */
  AdviceTransformer(
      InstrumentationRules rules, ConfiguredHierarchies hierarchies, TargetReport report) {
    this.rules = rules;
    this.hierarchies = hierarchies;
    this.sharedClassesToInstrument = rules.sharedClasses();
    this.configuredMethodNames = new DeclaredMethodNames(rules.methodNames());
    this.queueTypes = rules.queueTypes();
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
    Set<String> configuredTypes = null;
    try {
      boolean needsAdviceItself = needsAdviceItself(internalName, classFile);
      if (!needsAdviceItself && !unwovenQueueMethodsInheritable(loader)) {
        return null;
      }
      ClassReader header = new ClassReader(classFile);
      if (!needsAdviceItself && !extendsAClass(header)) {
        return null;
      }
      configuredTypes = hierarchies.ofClassFile(loader, internalName, header);
      if (configuredTypes.isEmpty() && !sharedClassesToInstrument.contains(internalName)) {
        return null;
      }
      return instrument(loader, classFile, configuredTypes, classBeingRetransformed != null);
    } catch (Throwable problem) {
      String name = internalName.replace('/', '.');
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
   * True for a class that needs advice whatever its super types: a configured or shared class, or
   * one declaring a configured method (its class file says so cheaply: {@link
   * DeclaredMethodNames}). Any other class needs advice only when it may inherit a configured queue
   * method that carries none ({@link #unwovenQueueMethodsInheritable}, {@link #extendsAClass}); for
   * most classes neither holds, and then none of their super types is read and their class file is
   * not parsed beyond its methods' names. Reading a super type's class file costs more than all the
   * rest of the transformer (in a Spring Boot start, reading the super types of every class took two
   * thirds of the transformer's time).
   */
  private boolean needsAdviceItself(String internalName, byte[] classFile) {
    return hierarchies.isConfigured(internalName)
        || sharedClassesToInstrument.contains(internalName)
        || configuredMethodNames.anyDeclaredBy(classFile);
  }

  /**
   * Whether a class declaring no configured method may still need overrides of inherited queue
   * methods ({@link InheritedQueueMethods}). Below a configured queue class that the agent weaves,
   * it never does: the nearest declaration it inherits is that class's own, or the override added
   * to it, and both carry the advice (one loaded before the agent attached has the declarations it
   * inherits instrumented in place instead). So only when a configured queue type is never woven
   * itself (a JDK class) or may be an interface: a class can join an interface's hierarchy below a
   * superclass that carries no advice ({@code class Backlog extends LinkedBlockingQueue implements
   * Pending}); and then only a class with a superclass to inherit from ({@link #extendsAClass}).
   * Decided from the configured queue types alone: for the usual configuration (a queue class of
   * the application) the class file's header is not parsed.
   */
  private boolean unwovenQueueMethodsInheritable(ClassLoader loader) {
    for (String queueType : queueTypes) {
      if (!mayBeTarget(queueType) || hierarchies.mayBeInterface(loader, queueType)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the class is no interface and has a superclass other than {@code Object}. */
  private static boolean extendsAClass(ClassReader header) {
    String superName = header.getSuperName();
    return (header.getAccess() & Opcodes.ACC_INTERFACE) == 0
        && superName != null
        && !OBJECT.equals(superName);
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

  /** The instrumented class file, or null to leave the class unchanged. */
  private byte[] instrument(
      ClassLoader loader, byte[] classFile, Set<String> configuredTypes, boolean retransforming)
      throws IOException {
    ClassOutline type = ClassOutline.of(classFile);
    report.seen(type, loader);
    Map<String, List<MethodAdvice>> advice = rules.adviceFor(type, configuredTypes, loader);
    byte[] source = classFile;
    if (!retransforming) {
      // Methods can only be added when a class first loads, never when it is retransformed.
      byte[] withOverrides = rules
          .inheritedQueueMethods()
          .addOverrides(
              type,
              classFile,
              configuredTypes,
              loader,
              superclass ->
                  mayBeTarget(superclass) ? hierarchies.ofSuperType(loader, superclass) : Set.of());
      if (withOverrides != null) {
        source = withOverrides;
        type = ClassOutline.of(source);
        advice = rules.adviceFor(type, configuredTypes, loader);
      }
    }
    if (advice.isEmpty()) {
      return null;
    }
    byte[] woven = ClassWeaver.weave(source, type, advice);
    AgentLog.debug("instrumented " + type.binaryName()
        + (retransforming ? " (already loaded: retransformed)" : ""));
    return woven;
  }
}
