package dev.usagemetrics.agent.matching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A type and every type it extends or implements, nearest first: the type, its superclass and
 * interfaces, then theirs (breadth-first), each once however many paths lead to it (a diamond of
 * interfaces, or a class file naming itself as its own super type, cannot multiply or hang the
 * walk). For loaded classes, and for any other description of types given how to reach a type's
 * super types (class files read by name, in the target report).
 *
 * <p>It allocates: callers on a hot path keep what they derive from it per class (a
 * {@link ClassValue}).
 */
public final class TypeHierarchy {

  private TypeHierarchy() {}

  /** {@code type} and its superclasses and interfaces, nearest first. Only already-loaded classes. */
  public static List<Class<?>> of(Class<?> type) {
    return of(type, LOADED_SUPERCLASS, LOADED_INTERFACES);
  }

  // Classes, not lambdas: this runs in premain (docs/internals.md, "Premain's path").
  private static final Function<Class<?>, Class<?>> LOADED_SUPERCLASS = new Function<>() {
    @Override
    public Class<?> apply(Class<?> type) {
      return type.getSuperclass();
    }
  };

  private static final Function<Class<?>, List<Class<?>>> LOADED_INTERFACES = new Function<>() {
    @Override
    public List<Class<?>> apply(Class<?> type) {
      return Arrays.asList(type.getInterfaces());
    }
  };

  /**
   * {@code type} and the types it extends or implements, nearest first; {@code superclassOf}
   * gives a type's superclass (null for none), {@code interfacesOf} the interfaces it names.
   */
  public static <T> List<T> of(
      T type,
      Function<? super T, ? extends T> superclassOf,
      Function<? super T, ? extends Collection<? extends T>> interfacesOf) {
    List<T> hierarchy = new ArrayList<>();
    Set<T> seen = new HashSet<>();
    Deque<T> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      T current = pending.poll();
      if (!seen.add(current)) {
        continue;
      }
      hierarchy.add(current);
      T superclass = superclassOf.apply(current);
      if (superclass != null) {
        pending.add(superclass);
      }
      for (T implemented : interfacesOf.apply(current)) {
        pending.add(implemented);
      }
    }
    return hierarchy;
  }
}
