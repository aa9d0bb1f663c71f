package dev.usagemetrics.agent.classification;

import java.util.List;

/**
 * The error types a failed persist call is classified as: the values of the {@code error_type}
 * attribute of the errors counter. The set is fixed so that dashboards and alert rules can name
 * every type; rules, shipped or configured, choose among them.
 */
public final class ErrorTypes {

  public static final String TIMEOUT = "timeout";
  public static final String VALIDATION = "validation";
  public static final String DB_ERROR = "db_error";

  /** Every error type, in the precedence of the shipped rules. */
  public static final List<String> ALL = List.of(TIMEOUT, VALIDATION, DB_ERROR);

  private ErrorTypes() {}
}
