package dev.usagemetrics.agent.matching;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is known about types by internal name, per class loader (for the configured hierarchies: the
 * configured types each one is or derives from). A name means one class only within one loader (two loaders may each define
 * their own {@code com/example/Base}), so facts are kept per loader; only {@code java/} names,
 * which no loader but the JDK's may define, are shared by all.
 *
 * <p>Loaders are held weakly and compared by identity: a loader the application drops is
 * collected, and its facts with it. The facts themselves are names, never classes.
 */
final class SuperTypeFacts<V> {

  private static final String JDK_ONLY_PREFIX = "java/";

  private final Map<String, V> jdk = new ConcurrentHashMap<>();
  private final Map<String, V> bootLoader = new ConcurrentHashMap<>();
  /** Each loader's key, mapped to itself: the registered key carries the loader's facts. */
  private final Map<LoaderKey<V>, LoaderKey<V>> byLoader = new ConcurrentHashMap<>();

  private final ReferenceQueue<ClassLoader> collectedLoaders = new ReferenceQueue<>();
  /** The facts of the loader asked about last: nearly all classes of an application come from one or two loaders. */
  private volatile LoaderKey<V> lastLoader;

  /** What is known about {@code internalName} as {@code loader} sees it; null when nothing is. */
  V get(ClassLoader loader, String internalName) {
    Map<String, V> facts = factsOf(loader, internalName, false);
    return facts == null ? null : facts.get(internalName);
  }

  void put(ClassLoader loader, String internalName, V fact) {
    factsOf(loader, internalName, true).put(internalName, fact);
  }

  /** How many names are known, over every loader still alive. */
  int size() {
    int size = jdk.size() + bootLoader.size();
    for (LoaderKey<V> loader : byLoader.values()) {
      size += loader.facts.size();
    }
    return size;
  }

  private Map<String, V> factsOf(ClassLoader loader, String internalName, boolean create) {
    if (internalName.startsWith(JDK_ONLY_PREFIX)) {
      return jdk;
    }
    if (loader == null) {
      return bootLoader;
    }
    LoaderKey<V> last = lastLoader;
    if (last != null && last.get() == loader) {
      return last.facts;
    }
    LoaderKey<V> found =
        create ? register(loader) : byLoader.get(new LoaderKey<V>(loader, null, null));
    if (found != null) {
      lastLoader = found;
      return found.facts;
    }
    return null;
  }

  private LoaderKey<V> register(ClassLoader loader) {
    for (Object collected; (collected = collectedLoaders.poll()) != null; ) {
      byLoader.remove(collected);
    }
    // putIfAbsent, not computeIfAbsent with a lambda: premain may ask (docs/internals.md).
    LoaderKey<V> key = new LoaderKey<V>(loader, collectedLoaders, new ConcurrentHashMap<>());
    LoaderKey<V> registered = byLoader.putIfAbsent(key, key);
    return registered == null ? key : registered;
  }

  /** A loader held weakly, equal to another key only for the very same loader; carries that loader's facts. */
  private static final class LoaderKey<V> extends WeakReference<ClassLoader> {
    private final int hash;
    final Map<String, V> facts;

    LoaderKey(ClassLoader loader, ReferenceQueue<ClassLoader> queue, Map<String, V> facts) {
      super(loader, queue);
      this.hash = System.identityHashCode(loader);
      this.facts = facts;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof LoaderKey)) {
        return false;
      }
      Object loader = get();
      return loader != null && loader == ((LoaderKey<?>) other).get();
    }
  }
}
