package com.example.llmusage;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Periodic job that checks a model's running total against the ledger and rewrites it if they
 * disagree.
 *
 * <p>It locks the model's {@code model_totals} row for the whole job so no persist can change
 * the total between reading the ledger and writing the correction. The job includes a slow
 * step (in production: fetching the provider's invoice), so persists for that model that
 * arrive meanwhile wait on the row lock and, past their lock timeout, fail.
 */
public final class BillingReconciler {
  /** The job itself is patient: it may queue behind in-flight persists of the same model. */
  private static final long OWN_LOCK_TIMEOUT_MILLIS = 10_000;

  private final String jdbcUrl;

  public BillingReconciler(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  /** Reconciles {@code model}, spending {@code slowStep} with the row locked. */
  public boolean reconcile(String model, Duration slowStep)
      throws SQLException, InterruptedException {
    return reconcile(model, new CountDownLatch(1), new CountDownLatch(1), slowStep);
  }

  /**
   * Reconciles {@code model}. Counts {@code rowLocked} down once the row lock is held, then
   * keeps it until {@code release} opens or {@code maxSlowStep} has passed.
   *
   * @return whether the stored total differed from the ledger and was corrected
   */
  public boolean reconcile(
      String model, CountDownLatch rowLocked, CountDownLatch release, Duration maxSlowStep)
      throws SQLException, InterruptedException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      try (Statement setup = connection.createStatement()) {
        setup.execute("SET LOCK_TIMEOUT " + OWN_LOCK_TIMEOUT_MILLIS);
      }
      ensureTotalsRow(connection, model);
      connection.setAutoCommit(false);
      boolean committed = false;
      try {
        BigDecimal[] stored = lockTotals(connection, model);
        rowLocked.countDown();
        release.await(maxSlowStep.toMillis(), TimeUnit.MILLISECONDS);
        BigDecimal[] ledger = ledgerTotals(connection, model);
        boolean drifted =
            stored[0].compareTo(ledger[0]) != 0 || stored[1].compareTo(ledger[1]) != 0;
        if (drifted) {
          writeTotals(connection, model, ledger);
        }
        connection.commit();
        committed = true;
        return drifted;
      } finally {
        if (!committed) {
          connection.rollback();
        }
      }
    }
  }

  /** A model nobody has used yet still gets a zero row, so there is a row to lock. */
  private static void ensureTotalsRow(Connection connection, String model) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO model_totals (model, tokens, cost) SELECT ?, 0, 0"
            + " WHERE NOT EXISTS (SELECT 1 FROM model_totals WHERE model = ?)")) {
      insert.setString(1, model);
      insert.setString(2, model);
      insert.executeUpdate();
    } catch (SQLIntegrityConstraintViolationException createdConcurrently) {
      // A persist created the row between our check and our insert: nothing to do.
    }
  }

  private static BigDecimal[] lockTotals(Connection connection, String model) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT tokens, cost FROM model_totals WHERE model = ? FOR UPDATE")) {
      select.setString(1, model);
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new BigDecimal[] {BigDecimal.valueOf(row.getLong(1)), row.getBigDecimal(2)};
      }
    }
  }

  private static BigDecimal[] ledgerTotals(Connection connection, String model)
      throws SQLException {
    try (PreparedStatement sum = connection.prepareStatement(
        "SELECT COALESCE(SUM(CAST(prompt_tokens AS BIGINT) + completion_tokens), 0),"
            + " COALESCE(SUM(cost_usd), 0) FROM usage_record WHERE model = ?")) {
      sum.setString(1, model);
      try (ResultSet row = sum.executeQuery()) {
        row.next();
        return new BigDecimal[] {BigDecimal.valueOf(row.getLong(1)), row.getBigDecimal(2)};
      }
    }
  }

  private static void writeTotals(Connection connection, String model, BigDecimal[] totals)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE model_totals SET tokens = ?, cost = ? WHERE model = ?")) {
      update.setLong(1, totals[0].longValueExact());
      update.setBigDecimal(2, totals[1]);
      update.setString(3, model);
      update.executeUpdate();
    }
  }
}
