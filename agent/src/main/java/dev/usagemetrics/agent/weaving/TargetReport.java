package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.PersistTarget;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.config.Suggestions;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.TypeHierarchy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

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
      methodsOf(target.className()).addAll(target.methodNames());
    }
    for (QueueTarget target : config.queueTargets()) {
      Set<String> methods = methodsOf(target.className());
      methods.addAll(target.enqueueMethodNames());
      methods.addAll(target.dequeueMethodNames());
    }
  }

  private Set<String> methodsOf(String className) {
    Set<String> methods = configuredMethods.get(className);
    if (methods == null) {
      methods = new HashSet<>();
      configuredMethods.put(className, methods);
    }
    return methods;
  }

  /**
   * Called for every class in a configured hierarchy the agent sees load; checks a configured class
   * for its methods, its super types' class files read through {@code loader}.
   */
  void seen(ClassOutline type, ClassLoader loader) {
    if (isConfiguredAndFirstSeen(type.binaryName()) && !declaresAll(type)) {
      try {
        check(type.binaryName(), methodNamesOf(type, loader));
      } catch (UncheckedIOException unreadable) {
        AgentLog.debug("cannot check the methods of the configured class " + type.binaryName()
            + ": " + unreadable.getMessage());
      }
    }
  }

  /**
   * Called for every class already loaded when the agent installs: a configured class among them
   * may never be seen loading (a JDK type such as {@code java.util.Queue}, loaded before any agent).
   */
  void seenLoaded(Class<?> type) {
    if (isConfiguredAndFirstSeen(type.getName())) {
      try {
        check(type.getName(), methodNamesOf(type));
      } catch (RuntimeException | LinkageError unreadable) {
        // Its methods name classes that are absent: it did load, only its method names cannot be
        // checked.
        AgentLog.debug("cannot check the methods of the configured class " + type.getName() + ": "
            + unreadable);
      }
    }
  }

  /**
   * True when {@code type} itself declares every method configured on it: the usual case, in which
   * no super type is read (that would load the class files of the JDK's types too).
   */
  private boolean declaresAll(ClassOutline type) {
    Set<String> missing = new HashSet<>(configuredMethods.get(type.binaryName()));
    for (ClassOutline.MethodOutline method : type.methods()) {
      missing.remove(method.name());
    }
    return missing.isEmpty();
  }

  private boolean isConfiguredAndFirstSeen(String className) {
    return configuredMethods.containsKey(className) && loaded.add(className);
  }

  private void check(String className, Set<String> present) {
    List<String> missing = configuredMethods.get(className).stream()
        .filter(name -> !present.contains(name))
        .sorted()
        .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      AgentLog.warn("configured class " + className + " has no method named "
          + missing.stream()
              .map(name -> withSuggestion(name, present))
              .collect(Collectors.joining(", "))
          + ", so nothing is measured for " + (missing.size() == 1 ? "it" : "them")
          + "; check the spelling in the configuration");
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

  // Sorted, so that a suggestion among equally close names is always the same one.

  private static Set<String> methodNamesOf(Class<?> type) {
    Set<String> names = new TreeSet<>();
    for (Class<?> current : TypeHierarchy.of(type)) {
      for (Method method : current.getDeclaredMethods()) {
        names.add(method.getName());
      }
    }
    return names;
  }

  /** @throws UncheckedIOException when the class file of a super type cannot be read */
  private static Set<String> methodNamesOf(ClassOutline type, ClassLoader loader) {
    Map<String, ClassOutline> outlines = new HashMap<>();
    outlines.put(type.internalName(), type);
    Set<String> names = new TreeSet<>();
    for (String current : TypeHierarchy.of(
        type.internalName(),
        name -> outlineOf(name, loader, outlines).superName(),
        name -> outlineOf(name, loader, outlines).interfaces())) {
      for (ClassOutline.MethodOutline method :
          outlineOf(current, loader, outlines).methods()) {
        if (method.name().charAt(0) != '<') {
          names.add(method.name());
        }
      }
    }
    return names;
  }

  private static ClassOutline outlineOf(
      String internalName, ClassLoader loader, Map<String, ClassOutline> outlines) {
    return outlines.computeIfAbsent(internalName, name -> {
      try {
        return ClassOutline.headerAndMethods(loader, name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
