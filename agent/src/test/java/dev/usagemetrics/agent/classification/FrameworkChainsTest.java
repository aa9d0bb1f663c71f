package dev.usagemetrics.agent.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.RollbackException;
import jakarta.validation.ConstraintViolationException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hibernate.PessimisticLockException;
import org.hibernate.QueryTimeoutException;
import org.hibernate.exception.DataException;
import org.hibernate.exception.JDBCConnectionException;
import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The exception chains Spring Data JPA, Hibernate and the PostgreSQL driver really produce (built
 * from the real classes, as they arrive at the caller, outermost first), classified by the shipped
 * rules: the database's SQLState or vendor code outweighs the names of the framework's wrappers.
 */
class FrameworkChainsTest {

  private static final ErrorClassifier SHIPPED =
      new ErrorClassifier(DefaultErrorRules.rules(), DefaultErrorRules.DEFAULT_ERROR_TYPE);

  /** A PostgreSQL server error as the driver reports it. */
  private static PSQLException postgres(String sqlState, String message) {
    return new PSQLException(
        new ServerErrorMessage("SERROR\0C" + sqlState + "\0M" + message + "\0"));
  }

  @Test
  void statementTimeoutIsTimeout() {
    Throwable chain = new org.springframework.dao.QueryTimeoutException(
        "could not execute statement",
        new QueryTimeoutException(
            "could not execute statement",
            postgres("57014", "canceling statement due to statement timeout"),
            "insert"));
    assertEquals("timeout", SHIPPED.classify(chain));
  }

  @Test
  void lockTimeoutIsTimeout() {
    Throwable chain = new PessimisticLockingFailureException(
        "could not obtain lock",
        new PessimisticLockException(
            "could not obtain lock",
            postgres("55P03", "canceling statement due to lock timeout"),
            "update"));
    assertEquals("timeout", SHIPPED.classify(chain));
  }

  @Test
  void deadlockIsADbErrorAlthoughSpringCallsItCannotAcquireLock() {
    Throwable chain = new CannotAcquireLockException(
        "could not execute statement",
        new LockAcquisitionException(
            "could not execute statement", postgres("40P01", "deadlock detected"), "update"));
    assertEquals("db_error", SHIPPED.classify(chain));
    assertEquals(
        "db_error (rule #3: org.postgresql.util.PSQLException has SQLState 40P01)",
        SHIPPED.explain(chain));
  }

  @Test
  void serializationFailureIsADbError() {
    PSQLException serialization =
        postgres("40001", "could not serialize access due to concurrent update");
    assertEquals(
        "db_error",
        SHIPPED.classify(new CannotAcquireLockException(
            "could not execute statement",
            new LockAcquisitionException("could not execute statement", serialization, "update"))));
    assertEquals(
        "db_error",
        SHIPPED.classify(new ConcurrencyFailureException(
            "could not execute statement",
            new org.hibernate.exception.LockAcquisitionException(
                "could not execute statement", serialization, "update"))));
  }

  @Test
  void uniqueViolationIsADbError() {
    Throwable chain = new DataIntegrityViolationException(
        "could not execute statement",
        new org.hibernate.exception.ConstraintViolationException(
            "could not execute statement",
            postgres("23505", "duplicate key value violates unique constraint"),
            "insert",
            "usage_record_request_id_key"));
    assertEquals("db_error", SHIPPED.classify(chain));
  }

  @Test
  void valueTooLongIsValidation() {
    Throwable chain = new DataIntegrityViolationException(
        "could not execute statement",
        new DataException(
            "could not execute statement",
            postgres("22001", "value too long for type character varying(16)"),
            "insert"));
    assertEquals("validation", SHIPPED.classify(chain));
    assertEquals(
        "validation (rule #2: org.postgresql.util.PSQLException has SQLState 22001; an SQLState outweighs an"
            + " exception class:"
            + " rule #3 (db_error) would match because"
            + " org.springframework.dao.DataIntegrityViolationException is an instance of"
            + " org.springframework.dao.DataIntegrityViolationException)",
        SHIPPED.explain(chain));
  }

  @Test
  void beanValidationAtFlushAndAtCommitIsValidation() {
    ConstraintViolationException invalid =
        new ConstraintViolationException("model: size must be between 1 and 64", Set.of());
    assertEquals("validation", SHIPPED.classify(invalid));
    assertEquals(
        "validation",
        SHIPPED.classify(new TransactionSystemException(
            "Could not commit JPA transaction",
            new RollbackException("Error while committing the transaction", invalid))));
  }

  @Test
  void lostOrRefusedConnectionIsADbError() {
    PSQLException refused = postgres("08001", "Connection refused");
    assertEquals(
        "db_error",
        SHIPPED.classify(new CannotCreateTransactionException(
            "Could not open JPA EntityManager",
            new JDBCConnectionException("unable to obtain isolated JDBC connection", refused))));
    assertEquals(
        "db_error",
        SHIPPED.classify(new DataAccessResourceFailureException(
            "could not execute statement",
            new JDBCConnectionException(
                "could not execute statement", postgres("08006", "An I/O error occurred")))));
  }

  @Test
  void h2TimeoutsStayTimeouts() {
    assertEquals(
        "timeout",
        SHIPPED.classify(new SQLException("Timeout trying to lock table", "HYT00", 50200)));
    assertEquals(
        "timeout", SHIPPED.classify(new SQLException("Statement was canceled", "57014", 57014)));
  }

  @Test
  void mysqlLockWaitTimeoutIsATimeoutWhateverItsSqlState() {
    for (String sqlState : List.of("HY000", "40001")) {
      Throwable chain = new CannotAcquireLockException(
          "could not execute statement",
          new LockAcquisitionException(
              "could not execute statement",
              new SQLException(
                  "Lock wait timeout exceeded; try restarting transaction", sqlState, 1205),
              "update"));
      assertEquals("timeout", SHIPPED.classify(chain), sqlState);
    }
    Throwable rollback = new SQLException("Lock wait timeout exceeded", "40001", 1205);
    assertEquals(
        "timeout (rule #1: java.sql.SQLException has vendor error code 1205; a vendor error code outweighs an SQLState:"
            + " rule #3 (db_error) would match because java.sql.SQLException has SQLState 40001)",
        SHIPPED.explain(new RuntimeException(rollback)));
  }

  @Test
  void mysqlDeadlockIsADbError() {
    assertEquals(
        "db_error",
        SHIPPED.classify(new CannotAcquireLockException(
            "deadlock",
            new SQLException(
                "Deadlock found when trying to get lock; try restarting transaction",
                "40001",
                1213))));
  }

  @Test
  void aUserRuleStillOverridesTheDatabasesVerdict() {
    List<ErrorRule> rules = new ArrayList<>();
    rules.add(new ErrorRule(
        "timeout",
        List.of("org.springframework.dao.CannotAcquireLockException"),
        List.of(),
        List.of()));
    rules.add(new ErrorRule("db_error", List.of(), List.of(), List.of(1205)));
    rules.addAll(DefaultErrorRules.rules());
    ErrorClassifier classifier = new ErrorClassifier(rules, DefaultErrorRules.DEFAULT_ERROR_TYPE);

    Throwable deadlock = new CannotAcquireLockException(
        "could not execute statement",
        new LockAcquisitionException(
            "could not execute statement", postgres("40P01", "deadlock detected"), "update"));
    assertEquals("timeout", classifier.classify(deadlock));
    assertEquals(
        "timeout (rule #1: org.springframework.dao.CannotAcquireLockException is an instance of"
            + " org.springframework.dao.CannotAcquireLockException; your rules come before the shipped ones:"
            + " rule #5 (db_error) would match because org.postgresql.util.PSQLException has SQLState 40P01)",
        classifier.explain(deadlock));
    // SQL Server reports a deadlock victim as 1205: its users give that code their own meaning.
    assertEquals(
        "db_error",
        classifier.classify(new SQLException("chosen as the deadlock victim", "40001", 1205)));
  }

  @Test
  void aChainKnownOnlyByItsClassesIsExplainedLikeTheRealOne() {
    assertEquals(
        "db_error (rule #3: org.postgresql.util.PSQLException has SQLState 40P01)",
        SHIPPED.explain(
            List.of(
                CannotAcquireLockException.class,
                LockAcquisitionException.class,
                PSQLException.class),
            "40P01",
            0));
    assertEquals(
        "timeout (rule #1: org.postgresql.util.PSQLException has SQLState 57014; an SQLState outweighs an"
            + " exception class:"
            + " rule #3 (db_error) would match because org.springframework.dao.QueryTimeoutException is an instance of"
            + " org.springframework.dao.DataAccessException)",
        SHIPPED.explain(
            List.of(
                org.springframework.dao.QueryTimeoutException.class,
                QueryTimeoutException.class,
                PSQLException.class),
            "57014",
            0));
  }
}
