package dev.usagemetrics.agent.classification;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One classification rule: an exception is of {@code errorType} when it, or anything in its cause
 * chain, is an instance of one of {@code exceptionClassNames}, carries an SQLState listed in
 * {@code sqlStatePrefixes} (exact or prefix: {@code "23"} covers every integrity violation), or
 * carries a vendor error code ({@code SQLException.getErrorCode()}) listed in {@code errorCodes}.
 *
 * <p>A rule is the user's or {@linkplain #shipped shipped} with the agent: {@link ErrorClassifier}
 * applies the user's rules first, in their order, and the shipped ones by the strength of the
 * evidence they match.
 */
public final class ErrorRule {

  private final String errorType;
  private final List<String> exceptionClassNames;
  private final List<String> sqlStatePrefixes;
  /** An array, not a list: read on the throw path, which must not allocate or box. */
  private final int[] errorCodes;

  private final boolean shipped;

  /** A user's rule. */
  public ErrorRule(
      String errorType,
      List<String> exceptionClassNames,
      List<String> sqlStatePrefixes,
      List<Integer> errorCodes) {
    this(errorType, exceptionClassNames, sqlStatePrefixes, errorCodes, false);
  }

  private ErrorRule(
      String errorType,
      List<String> exceptionClassNames,
      List<String> sqlStatePrefixes,
      List<Integer> errorCodes,
      boolean shipped) {
    this.errorType = Objects.requireNonNull(errorType, "errorType");
    this.exceptionClassNames = List.copyOf(exceptionClassNames);
    this.sqlStatePrefixes = List.copyOf(sqlStatePrefixes);
    this.errorCodes = new int[errorCodes.size()];
    for (int i = 0; i < this.errorCodes.length; i++) {
      this.errorCodes[i] = errorCodes.get(i);
    }
    this.shipped = shipped;
  }

  /** A rule shipped with the agent (see {@link DefaultErrorRules}). */
  static ErrorRule shipped(
      String errorType,
      List<String> exceptionClassNames,
      List<String> sqlStatePrefixes,
      List<Integer> errorCodes) {
    return new ErrorRule(errorType, exceptionClassNames, sqlStatePrefixes, errorCodes, true);
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

  public List<Integer> errorCodes() {
    return Arrays.stream(errorCodes).boxed().collect(Collectors.toList());
  }

  public boolean isShipped() {
    return shipped;
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

  boolean matchesErrorCode(int errorCode) {
    for (int code : errorCodes) {
      if (code == errorCode) {
        return true;
      }
    }
    return false;
  }

  boolean hasErrorCodes() {
    return errorCodes.length > 0;
  }

  @Override
  public String toString() {
    return errorType + " <- " + exceptionClassNames
        + (sqlStatePrefixes.isEmpty() ? "" : " sqlstate " + sqlStatePrefixes)
        + (errorCodes.length == 0 ? "" : " error code " + errorCodes())
        + (shipped ? " (shipped)" : "");
  }
}
