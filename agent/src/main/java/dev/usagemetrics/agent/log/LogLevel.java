package dev.usagemetrics.agent.log;

/** How much the agent says about itself. */
public enum LogLevel {
  /** Only problems. */
  QUIET,
  /** Problems and the one-line startup summary. */
  INFO,
  /** Also each class as it is transformed. */
  DEBUG
}
