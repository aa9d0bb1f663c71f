package dev.usagemetrics.agent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration that cannot be used, with every problem found (not just the first). */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<ConfigProblem> problems;
  private final boolean strictRequested;

  public ConfigException(List<ConfigProblem> problems) {
    this(problems, false);
  }

  ConfigException(List<ConfigProblem> problems, boolean strictRequested) {
    super(report(problems));
    this.problems = List.copyOf(problems);
    this.strictRequested = strictRequested;
  }

  /** True when the faulty file still said {@code strict: true} at its top level. */
  public boolean strictRequested() {
    return strictRequested;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String report(List<ConfigProblem> problems) {
    String heading = problems.size() == 1
        ? "1 configuration problem"
        : problems.size() + " configuration problems";
    return problems.stream()
        .map(p -> "  " + p)
        .collect(Collectors.joining("\n", heading + ":\n", ""));
  }
}
