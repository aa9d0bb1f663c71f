package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.config.Suggestions;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.TypeHierarchy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Makes a configuration that silently does nothing visible: a configured method name missing from
 * a configured class is reported as soon as the class loads, and configured classes that never
 * load are reported after a delay and at exit.
 */
public final class TargetReport {

  /** Configured class name to the method names configured on it. */
  private final Map<String, Set<String>> configuredMethods = new LinkedHashMap<>();

  private final Set<String> loaded = ConcurrentHashMap.newKeySet();

  public TargetReport(AgentConfig config) {
    for (PersistTarget target : config.persistTargets()) {
      configuredMethods
          .computeIfAbsent(target.className(), name -> new HashSet<>())
          .addAll(target.methodNames());
    }
    for (QueueTarget target : config.queueTargets()) {
      Set<String> methods =
          configuredMethods.computeIfAbsent(target.className(), name -> new HashSet<>());
      methods.addAll(target.enqueueMethodNames());
      methods.addAll(target.dequeueMethodNames());
    }
  }

  /** Called for every class the agent sees load; checks configured classes for their methods. */
  void seen(TypeDescription type) {
    Set<String> expected = configuredMethods.get(type.getName());
    if (expected == null || !loaded.add(type.getName())) {
      return;
    }
    Set<String> present = methodNamesOf(type);
    List<String> missing = expected.stream()
        .filter(name -> !present.contains(name))
        .sorted()
        .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      AgentLog.warn("configured class " + type.getName() + " has no method named "
          + missing.stream()
              .map(name -> withSuggestion(name, present))
              .collect(Collectors.joining(", "))
          + ", so nothing is measured for " + (missing.size() == 1 ? "it" : "them")
          + "; check the spelling in the configuration");
    }
  }

  /**
   * Called for every class already loaded when the agent installs: a configured class among them
   * may never be seen loading (a JDK type such as {@code java.util.Queue}, loaded before any agent).
   */
  void seenLoaded(Class<?> type) {
    if (!configuredMethods.containsKey(type.getName())) {
      return;
    }
    try {
      seen(TypeDescription.ForLoadedType.of(type));
    } catch (RuntimeException | LinkageError unreadable) {
      // Its methods name classes that are absent: it did load, only its method names cannot be
      // checked.
      loaded.add(type.getName());
      AgentLog.debug(
          "cannot check the methods of the configured class " + type.getName() + ": " + unreadable);
    }
  }

  private static String withSuggestion(String missing, Set<String> present) {
    String closest = Suggestions.closest(missing, present);
    return "'" + missing + "'" + (closest == null ? "" : " (did you mean '" + closest + "'?)");
  }

  /** Warns about the configured classes that have not loaded yet; {@code when} says when this is. */
  public void reportUnloaded(String when) {
    List<String> unloaded = unloadedClasses();
    if (!unloaded.isEmpty()) {
      AgentLog.warn("configured class" + (unloaded.size() == 1 ? " " : "es ") + unloaded
          + " never loaded " + when
          + "; nothing is measured for " + (unloaded.size() == 1 ? "it" : "them")
          + " (check the fully qualified name; a class that loads later is still instrumented)");
    }
  }

  /** The configured classes that have not loaded yet. */
  List<String> unloadedClasses() {
    List<String> unloaded = new ArrayList<>();
    for (String className : configuredMethods.keySet()) {
      if (!loaded.contains(className)) {
        unloaded.add(className);
      }
    }
    return unloaded;
  }

  /** Sorted, so that a suggestion among equally close names is always the same one. */
  private static Set<String> methodNamesOf(TypeDescription type) {
    Set<String> names = new TreeSet<>();
    for (TypeDescription current :
        TypeHierarchy.of(type, TargetReport::superclassOf, TargetReport::interfacesOf)) {
      for (MethodDescription method : current.getDeclaredMethods()) {
        if (method.isMethod()) {
          names.add(method.getName());
        }
      }
    }
    return names;
  }

  private static TypeDescription superclassOf(TypeDescription type) {
    TypeDescription.Generic superclass = type.getSuperClass();
    return superclass == null ? null : superclass.asErasure();
  }

  private static List<TypeDescription> interfacesOf(TypeDescription type) {
    return type.getInterfaces().asErasures();
  }
}
