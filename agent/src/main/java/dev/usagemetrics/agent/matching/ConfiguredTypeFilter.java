package dev.usagemetrics.agent.matching;

import java.util.Collection;
import java.util.Set;

/**
 * Tells whether a runtime class is, or derives from, one of the configured class names, by name
 * through superclasses and interfaces. The answer is cached per class, so advice inlined into a
 * shared JDK class (e.g. {@code ArrayBlockingQueue.offer}) costs other queues one cache lookup.
 */
public final class ConfiguredTypeFilter {

  private final Set<String> configuredNames;
  private final ClassValue<Boolean> matches = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      return hierarchyContainsConfiguredName(type);
    }
  };

  public ConfiguredTypeFilter(Collection<String> configuredNames) {
    this.configuredNames = Set.copyOf(configuredNames);
  }

  public boolean isEmpty() {
    return configuredNames.isEmpty();
  }

  public boolean matches(Class<?> type) {
    return matches.get(type);
  }

  private boolean hierarchyContainsConfiguredName(Class<?> type) {
    for (Class<?> current : TypeHierarchy.of(type)) {
      if (configuredNames.contains(current.getName())) {
        return true;
      }
    }
    return false;
  }
}
