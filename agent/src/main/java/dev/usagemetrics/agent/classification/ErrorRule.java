package dev.usagemetrics.agent.classification;

import java.util.List;
import java.util.Objects;

/**
 * One classification rule: an exception is of {@code errorType} when it, or anything in its cause
 * chain, is an instance of one of {@code exceptionClassNames} or carries an SQLState listed in
 * {@code sqlStatePrefixes} (exact or prefix: {@code "23"} covers every integrity violation).
 */
public final class ErrorRule {

  private final String errorType;
  private final List<String> exceptionClassNames;
  private final List<String> sqlStatePrefixes;

  public ErrorRule(String errorType, List<String> exceptionClassNames, List<String> sqlStatePrefixes) {
    this.errorType = Objects.requireNonNull(errorType, "errorType");
    this.exceptionClassNames = List.copyOf(exceptionClassNames);
    this.sqlStatePrefixes = List.copyOf(sqlStatePrefixes);
  }

  public String errorType() {
    return errorType;
  }

  public List<String> exceptionClassNames() {
    return exceptionClassNames;
  }

  public List<String> sqlStatePrefixes() {
    return sqlStatePrefixes;
  }

  /** Indexed, not iterated: runs on the throw path, which must not allocate. */
  boolean matchesSqlState(String sqlState) {
    for (int i = 0; i < sqlStatePrefixes.size(); i++) {
      if (sqlState.startsWith(sqlStatePrefixes.get(i))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return errorType + " <- " + exceptionClassNames + (sqlStatePrefixes.isEmpty() ? "" : " sqlstate " + sqlStatePrefixes);
  }
}
