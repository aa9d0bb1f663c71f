package dev.usagemetrics.agent.config;

import dev.usagemetrics.agent.classification.ErrorRule;
import dev.usagemetrics.agent.log.LogLevel;
import java.time.Duration;
import java.util.List;

/** A validated agent configuration with every default filled in. */
public final class AgentConfig {

  private final String source;
  private final List<PersistTarget> persistTargets;
  private final List<QueueTarget> queueTargets;
  private final List<ErrorRule> errorRules;
  private final String defaultErrorType;
  private final ExportSettings export;
  private final boolean strict;
  private final LogLevel logLevel;
  private final String logFile;
  private final Duration unmatchedTargetWarningDelay;

  AgentConfig(
      String source,
      List<PersistTarget> persistTargets,
      List<QueueTarget> queueTargets,
      List<ErrorRule> errorRules,
      String defaultErrorType,
      ExportSettings export,
      boolean strict,
      LogLevel logLevel,
      String logFile,
      Duration unmatchedTargetWarningDelay) {
    this.source = source;
    this.persistTargets = List.copyOf(persistTargets);
    this.queueTargets = List.copyOf(queueTargets);
    this.errorRules = List.copyOf(errorRules);
    this.defaultErrorType = defaultErrorType;
    this.export = export;
    this.strict = strict;
    this.logLevel = logLevel;
    this.logFile = logFile;
    this.unmatchedTargetWarningDelay = unmatchedTargetWarningDelay;
  }

  /** The file (or label) the configuration was read from. */
  public String source() {
    return source;
  }

  public List<PersistTarget> persistTargets() {
    return persistTargets;
  }

  public List<QueueTarget> queueTargets() {
    return queueTargets;
  }

  /** Ordered: the first matching rule wins. */
  public List<ErrorRule> errorRules() {
    return errorRules;
  }

  public String defaultErrorType() {
    return defaultErrorType;
  }

  public ExportSettings export() {
    return export;
  }

  /** When true, a configuration problem stops the JVM instead of disabling the agent. */
  public boolean strict() {
    return strict;
  }

  public LogLevel logLevel() {
    return logLevel;
  }

  /** The agent's own log file, or null for stderr. */
  public String logFile() {
    return logFile;
  }

  /** After this delay, configured classes that never loaded are reported. */
  public Duration unmatchedTargetWarningDelay() {
    return unmatchedTargetWarningDelay;
  }
}
