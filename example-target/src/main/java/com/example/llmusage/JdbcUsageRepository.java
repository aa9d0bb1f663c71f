package com.example.llmusage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stores usage records in an embedded H2 database with plain JDBC.
 *
 * <p>Each persist is one transaction: the ledger row in {@code usage_record} and the running
 * total in {@code model_totals}, so totals never drift from the ledger. Connections come from a
 * small grow-on-demand pool: a connection is used by one thread at a time, and idle ones are
 * reused so the per-connection setup (lock timeout, manual commit) happens once.
 */
public final class JdbcUsageRepository implements UsageRepository, AutoCloseable {

  /** Named in-memory database that outlives its connections until the JVM exits. */
  public static final String DEFAULT_URL = "jdbc:h2:mem:usage;DB_CLOSE_DELAY=-1";

  /**
   * How long a persist waits for a model_totals row locked by another transaction. Short on
   * purpose: a request thread should fail fast rather than queue behind a slow reconciliation.
   */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(50);

  private static final int ASYNC_THREADS = 2;

  private static final String INSERT_RECORD =
      "INSERT INTO usage_record (id, model, prompt_tokens, completion_tokens, cost_usd, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)";
  private static final String ADD_TO_TOTALS =
      "UPDATE model_totals SET tokens = tokens + ?, cost = cost + ? WHERE model = ?";
  private static final String INSERT_TOTALS =
      "INSERT INTO model_totals (model, tokens, cost) VALUES (?, ?, ?)";

  private final String jdbcUrl;
  private final long lockTimeoutMillis;
  private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

  /**
   * Per model, this repository's own transactions take the model_totals row in turn, from
   * UPDATE to COMMIT. Updates of one row are serialised by its row lock anyway; queueing here
   * instead of inside H2 means the short lock timeout only ever expires against a foreign
   * transaction (such as the billing reconciler), never against a sibling writer that lost
   * the CPU for a moment while holding the row.
   */
  private final Map<String, ReentrantLock> totalsTurns = new ConcurrentHashMap<>();

  private final ExecutorService asyncExecutor;
  private volatile boolean closed;

  public JdbcUsageRepository() throws SQLException {
    this(DEFAULT_URL, DEFAULT_LOCK_TIMEOUT);
  }

  public JdbcUsageRepository(String jdbcUrl, Duration lockTimeout) throws SQLException {
    this.jdbcUrl = jdbcUrl;
    this.lockTimeoutMillis = lockTimeout.toMillis();
    // Daemon threads: an abandoned repository must not keep the JVM alive; close() drains.
    this.asyncExecutor = Executors.newFixedThreadPool(
        ASYNC_THREADS, new NamedThreadFactory("usage-persist-async", true));
    createSchema();
  }

  @Override
  public void persist(UsageRecord record) throws SQLException {
    validate(record);
    Connection connection = borrow();
    boolean reusable = true;
    try {
      insertRecord(connection, record);
      ReentrantLock totalsTurn =
          totalsTurns.computeIfAbsent(record.getModel(), model -> new ReentrantLock());
      totalsTurn.lock();
      try {
        addToModelTotals(connection, record);
        connection.commit();
      } finally {
        totalsTurn.unlock();
      }
    } catch (Throwable failure) {
      reusable = rollback(connection, failure);
      throw failure;
    } finally {
      release(connection, reusable);
    }
  }

  @Override
  public CompletableFuture<Void> persistAsync(UsageRecord record) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    try {
      asyncExecutor.execute(() -> {
        try {
          persist(record);
          result.complete(null);
        } catch (Throwable failure) {
          result.completeExceptionally(failure);
        }
      });
    } catch (RejectedExecutionException afterClose) {
      result.completeExceptionally(afterClose);
    }
    return result;
  }

  /** Finishes queued async persists, then closes the pooled connections. */
  @Override
  public void close() throws InterruptedException {
    asyncExecutor.shutdown();
    asyncExecutor.awaitTermination(30, TimeUnit.SECONDS);
    closed = true;
    closeIdleConnections();
  }

  private static void validate(UsageRecord record) {
    if (record == null) {
      throw new InvalidUsageRecordException("record is null");
    }
    if (record.getId() == null || record.getId().isBlank()) {
      throw new InvalidUsageRecordException("record id is missing");
    }
    if (record.getModel() == null || record.getModel().isBlank()) {
      throw new InvalidUsageRecordException("model is blank for record " + record.getId());
    }
    if (record.getPromptTokens() < 0 || record.getCompletionTokens() < 0) {
      throw new InvalidUsageRecordException("negative token count for record " + record.getId());
    }
    if (record.getCostUsd() == null || record.getCostUsd().signum() < 0) {
      throw new InvalidUsageRecordException(
          "missing or negative cost for record " + record.getId());
    }
    if (record.getCreatedAt() == null) {
      throw new InvalidUsageRecordException("missing timestamp for record " + record.getId());
    }
  }

  private static void insertRecord(Connection connection, UsageRecord record) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_RECORD)) {
      insert.setString(1, record.getId());
      insert.setString(2, record.getModel());
      insert.setInt(3, record.getPromptTokens());
      insert.setInt(4, record.getCompletionTokens());
      insert.setBigDecimal(5, record.getCostUsd());
      insert.setTimestamp(6, Timestamp.from(record.getCreatedAt()));
      insert.executeUpdate();
    }
  }

  private static void addToModelTotals(Connection connection, UsageRecord record)
      throws SQLException {
    if (updateTotals(connection, record) == 1) {
      return;
    }
    // First usage of this model. A transaction outside our turn (the reconciler, another
    // process) may be creating the same row right now; H2 then makes our INSERT wait for it
    // and fail with a key violation once it commits, after which the UPDATE applies.
    Savepoint beforeInsert = connection.setSavepoint();
    try (PreparedStatement insert = connection.prepareStatement(INSERT_TOTALS)) {
      insert.setString(1, record.getModel());
      insert.setLong(2, record.totalTokens());
      insert.setBigDecimal(3, record.getCostUsd());
      insert.executeUpdate();
    } catch (SQLIntegrityConstraintViolationException createdConcurrently) {
      connection.rollback(beforeInsert);
      updateTotals(connection, record);
    }
  }

  private static int updateTotals(Connection connection, UsageRecord record) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(ADD_TO_TOTALS)) {
      update.setLong(1, record.totalTokens());
      update.setBigDecimal(2, record.getCostUsd());
      update.setString(3, record.getModel());
      return update.executeUpdate();
    }
  }

  /** Rolls back after a failure; returns whether the connection is still fit for reuse. */
  private static boolean rollback(Connection connection, Throwable failure) {
    try {
      connection.rollback();
      return true;
    } catch (SQLException rollbackFailure) {
      // Keep the original exception primary: callers classify failures by its type.
      failure.addSuppressed(rollbackFailure);
      return false;
    }
  }

  private void createSchema() throws SQLException {
    Connection connection = borrow();
    try (Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE IF NOT EXISTS usage_record ("
          + " id VARCHAR(64) PRIMARY KEY,"
          + " model VARCHAR(128) NOT NULL,"
          + " prompt_tokens INT NOT NULL,"
          + " completion_tokens INT NOT NULL,"
          + " cost_usd NUMERIC(19, 8) NOT NULL,"
          + " created_at TIMESTAMP NOT NULL)");
      ddl.execute("CREATE TABLE IF NOT EXISTS model_totals ("
          + " model VARCHAR(128) PRIMARY KEY,"
          + " tokens BIGINT NOT NULL,"
          + " cost NUMERIC(24, 8) NOT NULL)");
      connection.commit();
    } finally {
      release(connection, true);
    }
  }

  private Connection borrow() throws SQLException {
    if (closed) {
      throw new IllegalStateException("repository is closed");
    }
    Connection pooled = idle.pollFirst();
    return pooled != null ? pooled : open();
  }

  private Connection open() throws SQLException {
    Connection connection = DriverManager.getConnection(jdbcUrl);
    try (Statement setup = connection.createStatement()) {
      setup.execute("SET LOCK_TIMEOUT " + lockTimeoutMillis);
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      closeQuietly(connection);
      throw e;
    }
  }

  private void release(Connection connection, boolean reusable) {
    if (!reusable) {
      closeQuietly(connection);
      return;
    }
    idle.offerFirst(connection);
    if (closed) {
      // close() may have emptied the pool just before this connection came back.
      closeIdleConnections();
    }
  }

  private void closeIdleConnections() {
    Connection connection;
    while ((connection = idle.pollFirst()) != null) {
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // Closing an in-memory H2 connection only fails if it is already broken.
    }
  }
}
