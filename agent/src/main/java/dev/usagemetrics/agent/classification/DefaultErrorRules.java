package dev.usagemetrics.agent.classification;

import java.util.List;

/**
 * The rules shipped with the agent. {@link ErrorClassifier} weighs them by evidence: a vendor
 * error code beats an SQLState, and an SQLState beats exception class names, so that the
 * database's own verdict wins over the name of a framework's wrapper (Spring's
 * {@code CannotAcquireLockException} wraps deadlocks and lock timeouts alike). Among rules matched
 * by the same kind of evidence the order below decides: timeouts first (a JDBC timeout is also an
 * {@code SQLException}), validation before {@code db_error} (some validation errors extend
 * data-access base classes).
 */
public final class DefaultErrorRules {

  /** The error type of an exception no rule matches. */
  public static final String DEFAULT_ERROR_TYPE = ErrorTypes.DB_ERROR;

  /**
   * MySQL's and MariaDB's ER_LOCK_WAIT_TIMEOUT. Connector/J reports it with SQLState HY000 or,
   * depending on version, 40001 (a rollback, like a deadlock): only the vendor code tells them
   * apart. SQL Server uses 1205 for a deadlock victim: its users add a rule of their own.
   */
  static final int MYSQL_LOCK_WAIT_TIMEOUT = 1205;

  private DefaultErrorRules() {}

  public static List<ErrorRule> rules() {
    return List.of(
        ErrorRule.shipped(
            ErrorTypes.TIMEOUT,
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
                "org.springframework.transaction.TransactionTimedOutException"),
            // HYT00/HYT01: ODBC/H2 timeouts; 57014: query cancelled (PostgreSQL statement_timeout,
            // H2 query timeout); 55P03: PostgreSQL lock_not_available (lock_timeout).
            List.of("HYT00", "HYT01", "57014", "55P03"),
            List.of(MYSQL_LOCK_WAIT_TIMEOUT)),
        ErrorRule.shipped(
            ErrorTypes.VALIDATION,
            List.of(
                "java.lang.IllegalArgumentException",
                // JDBC's type for SQLState class 22, also when a driver leaves the state out.
                "java.sql.SQLDataException",
                "javax.validation.ValidationException",
                "jakarta.validation.ValidationException",
                "org.springframework.validation.BindException"),
            // Class 22: data exceptions (value too long, invalid number, ...).
            List.of("22"),
            List.of()),
        ErrorRule.shipped(
            ErrorTypes.DB_ERROR,
            List.of(
                "java.sql.SQLException",
                "jakarta.persistence.PersistenceException",
                "javax.persistence.PersistenceException",
                "org.hibernate.HibernateException",
                "org.hibernate.exception.ConstraintViolationException",
                "org.springframework.dao.DataAccessException",
                "org.springframework.dao.DataIntegrityViolationException",
                "org.springframework.transaction.TransactionException"),
            // Class 23: integrity constraint violations; 08: connection exceptions; 40: transaction
            // rollbacks (deadlock 40P01, serialization failure 40001).
            List.of("23", "08", "40"),
            List.of()));
  }
}
