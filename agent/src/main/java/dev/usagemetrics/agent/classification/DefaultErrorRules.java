package dev.usagemetrics.agent.classification;

import java.util.List;

/**
 * The rules shipped with the agent, in order. Timeouts come first because a JDBC timeout is also
 * an {@code SQLException}; validation comes before {@code db_error} because some data-access
 * validation errors extend data-access base classes.
 */
public final class DefaultErrorRules {

  public static final String DB_ERROR = "db_error";
  public static final String TIMEOUT = "timeout";
  public static final String VALIDATION = "validation";

  /** The error type of an exception no rule matches. */
  public static final String DEFAULT_ERROR_TYPE = DB_ERROR;

  private DefaultErrorRules() {}

  public static List<ErrorRule> rules() {
    return List.of(
        new ErrorRule(
            TIMEOUT,
            List.of(
                "java.sql.SQLTimeoutException",
                "java.util.concurrent.TimeoutException",
                "java.net.SocketTimeoutException",
                "java.net.http.HttpTimeoutException",
                "jakarta.persistence.QueryTimeoutException",
                "javax.persistence.QueryTimeoutException",
                "jakarta.persistence.LockTimeoutException",
                "javax.persistence.LockTimeoutException",
                "org.hibernate.QueryTimeoutException",
                "org.hibernate.exception.LockTimeoutException",
                "org.springframework.dao.QueryTimeoutException",
                "org.springframework.dao.CannotAcquireLockException",
                "org.springframework.transaction.TransactionTimedOutException"),
            // HYT00/HYT01: ODBC/H2 timeouts; 57014: PostgreSQL query cancelled (statement_timeout);
            // 55P03: PostgreSQL lock_not_available.
            List.of("HYT00", "HYT01", "57014", "55P03")),
        new ErrorRule(
            VALIDATION,
            List.of(
                "java.lang.IllegalArgumentException",
                // JDBC's type for SQLState class 22, also when a driver leaves the state out.
                "java.sql.SQLDataException",
                "javax.validation.ValidationException",
                "jakarta.validation.ValidationException",
                "org.springframework.validation.BindException"),
            // Class 22: data exceptions (value too long, invalid number, ...).
            List.of("22")),
        new ErrorRule(
            DB_ERROR,
            List.of(
                "java.sql.SQLException",
                "jakarta.persistence.PersistenceException",
                "javax.persistence.PersistenceException",
                "org.hibernate.HibernateException",
                "org.hibernate.exception.ConstraintViolationException",
                "org.springframework.dao.DataAccessException",
                "org.springframework.dao.DataIntegrityViolationException",
                "org.springframework.transaction.TransactionException"),
            // Class 23: integrity constraint violations; 08: connection exceptions; 40: rollbacks.
            List.of("23", "08", "40")));
  }
}
