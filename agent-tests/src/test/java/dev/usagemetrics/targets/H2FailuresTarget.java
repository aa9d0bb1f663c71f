package dev.usagemetrics.targets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A persist target on a real H2 database, failing the ways production persists fail: a query
 * timeout, a lock timeout (whose cause is H2's internal store exception), a timeout wrapped in an
 * application exception, a duplicate key, a value the column refuses, and an unclassifiable
 * {@code IllegalStateException}.
 *
 * <p>Scenario {@code i} runs {@code 2^i} times, so the per-{@code error_type} totals decompose
 * into the scenarios uniquely: any scenario classified wrongly changes them. Prints
 * {@code H2FAILURES success=<n> <scenario>=<n> ... unexpected=<n>}, where a scenario counts only
 * failures that were exactly what it provokes (class, SQLState, cause), as the application saw them.
 */
public final class H2FailuresTarget {

  /** The configured persist target. */
  public static final class UsageStore {
    private final Connection connection;

    UsageStore(Connection connection) {
      this.connection = connection;
    }

    public void persist(String id, String model) throws SQLException {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO usage_record (id, model) VALUES (?, ?)")) {
        insert.setString(1, id);
        insert.setString(2, model);
        insert.executeUpdate();
      }
    }

    /** Persists after a slow consistency check that must finish within {@code deadlineMillis}. */
    public void persistWithinDeadline(String id, int deadlineMillis) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET QUERY_TIMEOUT " + deadlineMillis);
        try {
          statement.executeQuery(
              "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 1000000000)"
                  + " SELECT COUNT(*) FROM t");
        } finally {
          statement.execute("SET QUERY_TIMEOUT 0");
        }
      }
      persist(id, "checked");
    }

    /** The service layer: wraps a store failure in the application's own exception. A nested persist call. */
    public void persistOrWrap(String id, int deadlineMillis) {
      try {
        persistWithinDeadline(id, deadlineMillis);
      } catch (SQLException e) {
        throw new UsageStoreException("could not store " + id, e);
      }
    }

    /** Adds to a model's total; waits at most {@code lockTimeoutMillis} for the row lock. */
    public void persistTotal(String model, int lockTimeoutMillis) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCK_TIMEOUT " + lockTimeoutMillis);
        statement.executeUpdate(
            "UPDATE model_totals SET calls = calls + 1 WHERE model = '" + model + "'");
      }
    }

    public void persistAfterClose() {
      throw new IllegalStateException("usage store is closed");
    }
  }

  /** The application's own wrapper exception. */
  public static final class UsageStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageStoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private interface Check {
    boolean expected(Exception failure);
  }

  private static final String URL = "jdbc:h2:mem:failures;DB_CLOSE_DELAY=-1";
  private static final int SUCCESSES = 10;
  private static final int TIMEOUT_MILLIS = 100;

  private final Map<String, Long> observed = new LinkedHashMap<>();
  private long unexpected;
  private int nextId;

  private H2FailuresTarget() {}

  public static void main(String[] args) throws Exception {
    try (Connection connection = DriverManager.getConnection(URL);
        Connection reconciler = DriverManager.getConnection(URL)) {
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(
            "CREATE TABLE usage_record (id VARCHAR(16) PRIMARY KEY, model VARCHAR(32) NOT NULL)");
        ddl.execute(
            "CREATE TABLE model_totals (model VARCHAR(32) PRIMARY KEY, calls INT NOT NULL)");
        ddl.execute("INSERT INTO model_totals VALUES ('gpt', 0)");
      }
      new H2FailuresTarget().run(new UsageStore(connection), reconciler);
    }
  }

  private void run(UsageStore store, Connection reconciler) throws SQLException {
    long successes = 0;
    for (int i = 0; i < SUCCESSES; i++) {
      try {
        store.persist(newId(), "gpt");
        successes++;
      } catch (SQLException e) {
        unexpected++;
      }
    }
    scenario(
        "query_timeout",
        1,
        () -> store.persistWithinDeadline(newId(), TIMEOUT_MILLIS),
        e -> e instanceof SQLTimeoutException && "57014".equals(((SQLException) e).getSQLState()));

    // Another transaction holds the row lock, as a long reconciliation job would.
    reconciler.setAutoCommit(false);
    try (Statement lock = reconciler.createStatement()) {
      lock.executeUpdate("UPDATE model_totals SET calls = calls WHERE model = 'gpt'");
    }
    scenario(
        "lock_timeout",
        2,
        () -> store.persistTotal("gpt", TIMEOUT_MILLIS),
        e -> e instanceof SQLTimeoutException
            && "HYT00".equals(((SQLException) e).getSQLState())
            && e.getCause() != null
            && e.getCause().getClass().getName().equals("org.h2.mvstore.MVStoreException"));
    reconciler.rollback();

    scenario(
        "wrapped_timeout",
        4,
        () -> store.persistOrWrap(newId(), TIMEOUT_MILLIS),
        e -> e instanceof UsageStoreException && e.getCause() instanceof SQLTimeoutException);
    scenario(
        "duplicate",
        8,
        () -> store.persist("id-0", "gpt"),
        e -> e instanceof SQLIntegrityConstraintViolationException
            && "23505".equals(((SQLException) e).getSQLState()));
    scenario(
        "value_too_long",
        16,
        () -> store.persist(newId(), "a-model-name-longer-than-the-column-allows"),
        e -> e instanceof SQLDataException && "22001".equals(((SQLException) e).getSQLState()));
    scenario(
        "illegal_state", 32, store::persistAfterClose, e -> e instanceof IllegalStateException);

    StringBuilder line = new StringBuilder("H2FAILURES success=" + successes);
    observed.forEach((name, count) -> line.append(' ').append(name).append('=').append(count));
    System.out.println(line.append(" unexpected=").append(unexpected));
  }

  /** Runs {@code call} {@code times} times; counts the failures that are exactly what it provokes. */
  private void scenario(String name, int times, Call call, Check check) {
    long seen = 0;
    for (int i = 0; i < times; i++) {
      try {
        call.run();
        unexpected++;
      } catch (Exception failure) {
        if (check.expected(failure)) {
          seen++;
        } else {
          unexpected++;
          failure.printStackTrace();
        }
      }
    }
    observed.put(name, seen);
  }

  private String newId() {
    return "id-" + nextId++;
  }
}
