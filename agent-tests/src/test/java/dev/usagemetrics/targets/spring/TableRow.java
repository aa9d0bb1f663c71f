package dev.usagemetrics.targets.spring;

import jakarta.validation.ConstraintViolationException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.transaction.TransactionSystemException;

/**
 * The rows of issue 12's classification table that PostgreSQL produces: what really happened, told
 * by the evidence in a failure's cause chain, and the {@code error_type} it must be counted under.
 */
enum TableRow {
  STATEMENT_TIMEOUT("57014", "timeout"),
  LOCK_TIMEOUT("55P03", "timeout"),
  DEADLOCK("40P01", "db_error"),
  SERIALIZATION_FAILURE("40001", "db_error"),
  UNIQUE_VIOLATION("23505", "db_error"),
  VALUE_TOO_LONG("22001", "validation"),
  VALIDATION_AT_FLUSH(null, "validation"),
  VALIDATION_AT_COMMIT(null, "validation"),
  /** Any connection exception (class 08). */
  CONNECTION_FAILURE("08", "db_error");

  /** The error types, in report order. */
  static final String[] ERROR_TYPES = {"timeout", "validation", "db_error"};

  private final String sqlState;
  private final String errorType;

  TableRow(String sqlState, String errorType) {
    this.sqlState = sqlState;
    this.errorType = errorType;
  }

  String errorType() {
    return errorType;
  }

  /** {@code deadlock}, {@code value_too_long}, ...: for report lines. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The row {@code failure} is, by the first SQLState in its chain or else by Bean Validation's exception. */
  static Optional<TableRow> of(Throwable failure) {
    String state = firstSqlState(failure);
    if (state != null) {
      for (TableRow row : values()) {
        if (row.sqlState != null && state.startsWith(row.sqlState)) {
          return Optional.of(row);
        }
      }
      return Optional.empty();
    }
    if (failure instanceof ConstraintViolationException) {
      return Optional.of(VALIDATION_AT_FLUSH);
    }
    if (failure instanceof TransactionSystemException
        && rootCause(failure) instanceof ConstraintViolationException) {
      return Optional.of(VALIDATION_AT_COMMIT);
    }
    return Optional.empty();
  }

  /** The cause chain, outermost first, with each SQLException's SQLState: {@code A <- B <- C[57014]}. */
  static String chain(Throwable failure) {
    StringBuilder chain = new StringBuilder();
    for (Throwable element : causes(failure)) {
      chain.append(chain.length() == 0 ? "" : " <- ").append(element.getClass().getName());
      if (element instanceof SQLException sql) {
        chain.append('[').append(sql.getSQLState()).append(']');
      }
    }
    return chain.toString();
  }

  private static String firstSqlState(Throwable failure) {
    for (Throwable element : causes(failure)) {
      if (element instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable failure) {
    List<Throwable> causes = causes(failure);
    return causes.get(causes.size() - 1);
  }

  /** {@code failure} and its causes, outermost first. */
  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable element = failure;
        element != null && !causes.contains(element);
        element = element.getCause()) {
      causes.add(element);
    }
    return causes;
  }
}
