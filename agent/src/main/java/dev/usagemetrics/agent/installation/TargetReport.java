package dev.usagemetrics.agent.installation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Which classes were instrumented, so configured targets that never matched can be reported. */
public final class TargetReport {

  private final Set<String> instrumentedClasses = ConcurrentHashMap.newKeySet();

  void instrumented(String className) {
    instrumentedClasses.add(className);
  }

  public Set<String> instrumentedClasses() {
    return Set.copyOf(instrumentedClasses);
  }
}
