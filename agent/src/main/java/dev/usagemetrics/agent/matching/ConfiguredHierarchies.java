package dev.usagemetrics.agent.matching;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Which configured types a class is, extends or implements, decided before anything about the
 * class is described: from its class file's header (its own, super class and interface names)
 * and what is known about those super types, or, for a loaded class, from its {@code Class}
 * object and those of its super types. What is learned about each type is kept ({@link
 * SuperTypeFacts}), so that the many classes sharing super types ask about each one once: a
 * super type not known yet is read once per class loader, its header only, through the loader
 * that asks (where the JVM will find it too).
 *
 * <p>A class is in the hierarchy of every configured type that any of its super types leads to,
 * whatever the others do. The one thing that cannot be looked into is a super type whose class
 * file its loader does not offer and that this agent has not seen defined (a class generated at
 * run time before the agent, or by a loader that offers no class files): what the other super
 * types show is the answer then, and it is not remembered, so that once the agent sees that
 * class defined, later classes get the complete answer. Facts are never shared between loaders
 * (except for {@code java/} types), so two classes of the same name cannot be confused.
 */
public final class ConfiguredHierarchies {

  private static final String OBJECT = "java/lang/Object";
  /** Deeper than any real hierarchy: a class file naming itself as its own super type cannot hang the walk. */
  private static final int MAX_DEPTH = 200;

  /** Internal names of the configured types, to the set holding just their binary name. */
  private final Map<String, Set<String>> configured = new HashMap<>();

  private final SuperTypeFacts<Set<String>> facts = new SuperTypeFacts<>();
  /** Whether a configured type may be an interface, as each loader offers its class file. */
  private final SuperTypeFacts<Boolean> mayBeInterface = new SuperTypeFacts<>();

  /** {@code configuredClassNames}: binary names ({@code com.example.Outer$Inner}). */
  public ConfiguredHierarchies(Collection<String> configuredClassNames) {
    for (String name : configuredClassNames) {
      configured.put(name.replace('.', '/'), Set.of(name));
    }
  }

  /**
   * The binary names of the configured types that the class defined by {@code loader} from the
   * class file behind {@code header} is or derives from; empty when none (also when a super type
   * could not be read and none of the others is in a configured hierarchy).
   */
  public Set<String> ofClassFile(ClassLoader loader, String internalName, ClassReader header) {
    Answer answer =
        fromHeader(loader, internalName, header.getSuperName(), header.getInterfaces(), 0);
    if (answer.complete) {
      facts.put(loader, internalName, answer.configuredTypes);
    }
    return answer.configuredTypes;
  }

  /**
   * As {@link #ofClassFile} for the type {@code loader} finds by {@code internalName}:
   * a super type of a class it loads.
   */
  public Set<String> ofSuperType(ClassLoader loader, String internalName) {
    return superType(loader, internalName, 0).configuredTypes;
  }

  /** As {@link #ofClassFile} for a loaded class, from the {@code Class} objects of its super types alone. */
  public Set<String> ofLoadedClass(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    String internalName = type.getName().replace('.', '/');
    Set<String> known = facts.get(loader, internalName);
    if (known != null) {
      return known;
    }
    Set<String> found = own(internalName);
    if (type.getSuperclass() != null) {
      found = union(found, ofLoadedClass(type.getSuperclass()));
    }
    for (Class<?> implemented : type.getInterfaces()) {
      found = union(found, ofLoadedClass(implemented));
    }
    facts.put(loader, internalName, found);
    return found;
  }

  /**
   * Whether the configured type {@code internalName} may be an interface as {@code loader} sees
   * it: true unless its class file, read once per loader, says it is a class (also true when the
   * loader offers none: it cannot be looked into).
   */
  public boolean mayBeInterface(ClassLoader loader, String internalName) {
    Boolean known = mayBeInterface.get(loader, internalName);
    if (known == null) {
      ClassReader header = readHeader(loader, internalName);
      known = header == null || (header.getAccess() & Opcodes.ACC_INTERFACE) != 0;
      mayBeInterface.put(loader, internalName, known);
    }
    return known;
  }

  /** True when {@code internalName} is one of the configured types. */
  public boolean isConfigured(String internalName) {
    return configured.containsKey(internalName);
  }

  /** How many types' hierarchies are known (over every class loader still alive). */
  public int knownTypes() {
    return facts.size();
  }

  private Answer superType(ClassLoader loader, String internalName, int depth) {
    if (OBJECT.equals(internalName)) {
      return new Answer(own(internalName), true);
    }
    Set<String> known = facts.get(loader, internalName);
    if (known != null) {
      return new Answer(known, true);
    }
    ClassReader header = depth > MAX_DEPTH ? null : readHeader(loader, internalName);
    if (header == null) {
      return new Answer(own(internalName), false);
    }
    Answer answer =
        fromHeader(loader, internalName, header.getSuperName(), header.getInterfaces(), depth);
    if (answer.complete) {
      facts.put(loader, internalName, answer.configuredTypes);
    }
    return answer;
  }

  private Answer fromHeader(
      ClassLoader loader, String internalName, String superName, String[] interfaces, int depth) {
    Set<String> found = own(internalName);
    boolean complete = true;
    if (superName != null) {
      Answer superclass = superType(loader, superName, depth + 1);
      found = union(found, superclass.configuredTypes);
      complete = superclass.complete;
    }
    for (String implemented : interfaces) {
      Answer answer = superType(loader, implemented, depth + 1);
      found = union(found, answer.configuredTypes);
      complete &= answer.complete;
    }
    return new Answer(found, complete);
  }

  private Set<String> own(String internalName) {
    Set<String> self = configured.get(internalName);
    return self == null ? Set.of() : self;
  }

  private static Set<String> union(Set<String> some, Set<String> more) {
    if (some.containsAll(more)) {
      return some;
    }
    if (more.containsAll(some)) {
      return more;
    }
    Set<String> both = new HashSet<>(some);
    both.addAll(more);
    return Set.copyOf(both);
  }

  /** The header of the class file {@code loader} offers for {@code internalName}; null for none or an unreadable. */
  private static ClassReader readHeader(ClassLoader loader, String internalName) {
    try {
      byte[] classFile = ClassFiles.read(loader, internalName);
      return classFile == null ? null : new ClassReader(classFile);
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** The configured types found, and whether every super type could be looked at. */
  private static final class Answer {
    final Set<String> configuredTypes;
    final boolean complete;

    Answer(Set<String> configuredTypes, boolean complete) {
      this.configuredTypes = configuredTypes;
      this.complete = complete;
    }
  }
}
