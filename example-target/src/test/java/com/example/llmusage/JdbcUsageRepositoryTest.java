package com.example.llmusage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcUsageRepositoryTest {
  private String url;
  private JdbcUsageRepository repository;

  @BeforeEach
  void openRepository() throws SQLException {
    url = H2Databases.freshUrl();
    repository = new JdbcUsageRepository(url, Duration.ofMillis(50));
  }

  @AfterEach
  void closeRepository() throws InterruptedException {
    repository.close();
  }

  private static UsageRecord record(
      String id, String model, int prompt, int completion, String cost) {
    return new UsageRecord(
        id,
        model,
        prompt,
        completion,
        cost == null ? null : new BigDecimal(cost),
        Instant.parse("2024-05-01T12:00:00Z"));
  }

  @Test
  void validationRejectsMalformedRecordsBeforeWriting() throws SQLException {
    List<UsageRecord> malformed = List.of(
        record(null, "gpt-4o", 10, 10, "0.01"),
        record(" ", "gpt-4o", 10, 10, "0.01"),
        record("r1", "", 10, 10, "0.01"),
        record("r2", "gpt-4o", -1, 10, "0.01"),
        record("r3", "gpt-4o", 10, -1, "0.01"),
        record("r4", "gpt-4o", 10, 10, "-0.01"),
        record("r5", "gpt-4o", 10, 10, null));
    for (UsageRecord bad : malformed) {
      assertThrows(InvalidUsageRecordException.class, () -> repository.persist(bad), bad::toString);
    }
    assertThrows(InvalidUsageRecordException.class, () -> repository.persist(null));
    assertEquals(0, H2Databases.count(url, "SELECT COUNT(*) FROM usage_record"));
    assertEquals(0, H2Databases.count(url, "SELECT COUNT(*) FROM model_totals"));
  }

  @Test
  void persistWritesLedgerAndTotalsTogether() throws SQLException {
    repository.persist(record("r1", "gpt-4o", 100, 20, "0.00045"));
    repository.persist(record("r2", "gpt-4o", 1, 2, "0.00001"));
    assertEquals(2, H2Databases.count(url, "SELECT COUNT(*) FROM usage_record"));
    assertEquals(
        123, H2Databases.count(url, "SELECT tokens FROM model_totals WHERE model = 'gpt-4o'"));
    assertEquals(
        46,
        H2Databases.count(
            url, "SELECT CAST(cost * 100000 AS BIGINT) FROM model_totals WHERE model = 'gpt-4o'"));
  }

  @Test
  void duplicateIdIsRejectedByTheDatabaseAndRolledBack() throws SQLException {
    repository.persist(record("same", "gpt-4o", 100, 20, "0.001"));
    SQLException failure = assertThrows(
        SQLException.class, () -> repository.persist(record("same", "gpt-4o-mini", 5, 5, "0.001")));
    assertInstanceOf(SQLIntegrityConstraintViolationException.class, failure);
    assertEquals("23505", failure.getSQLState());
    assertEquals(
        0, H2Databases.count(url, "SELECT COUNT(*) FROM model_totals WHERE model = 'gpt-4o-mini'"));
    assertEquals(120, H2Databases.count(url, "SELECT SUM(tokens) FROM model_totals"));
  }

  @Test
  void rowHeldByReconcilerTimesOutWithSqlTimeoutException() throws Exception {
    repository.persist(record("before", "gpt-4o-batch", 10, 10, "0.001"));
    BillingReconciler reconciler = new BillingReconciler(url);
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService job = Executors.newSingleThreadExecutor();
    try {
      Future<Boolean> reconciliation = job.submit(
          () -> reconciler.reconcile("gpt-4o-batch", locked, release, Duration.ofSeconds(30)));
      assertTrue(locked.await(10, TimeUnit.SECONDS));

      SQLException failure = assertThrows(
          SQLException.class,
          () -> repository.persist(record("blocked", "gpt-4o-batch", 10, 10, "0.001")));
      assertInstanceOf(SQLTimeoutException.class, failure);
      assertEquals("HYT00", failure.getSQLState());
      // Other models are not affected by the held row.
      repository.persist(record("free", "gpt-4o", 10, 10, "0.001"));

      release.countDown();
      assertEquals(false, reconciliation.get(10, TimeUnit.SECONDS), "totals matched the ledger");
    } finally {
      job.shutdownNow();
    }
    // The timed-out call left nothing behind, and the same record goes through now.
    assertEquals(
        0, H2Databases.count(url, "SELECT COUNT(*) FROM usage_record WHERE id = 'blocked'"));
    repository.persist(record("blocked", "gpt-4o-batch", 10, 10, "0.001"));
    assertEquals(
        40, H2Databases.count(url, "SELECT tokens FROM model_totals WHERE model = 'gpt-4o-batch'"));
  }

  @Test
  void persistAsyncFailsWithTheDatabaseException() throws Exception {
    repository.persistAsync(record("a1", "gpt-4o", 1, 1, "0.001")).get(10, TimeUnit.SECONDS);
    ExecutionException failure = assertThrows(
        ExecutionException.class,
        () -> repository
            .persistAsync(record("a1", "gpt-4o", 1, 1, "0.001"))
            .get(10, TimeUnit.SECONDS));
    assertInstanceOf(SQLIntegrityConstraintViolationException.class, failure.getCause());
  }

  @Test
  void concurrentWritersKeepTotalsEqualToTheLedger() throws Exception {
    UsageRecordFactory factory = new UsageRecordFactory(1);
    List<UsageRecord> records = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      // Every model starts without a totals row, so first uses create it under contention.
      records.add(i % 10 == 0 ? factory.valid(UsageRecordFactory.BATCH_MODEL) : factory.valid());
    }
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int first = w;
        done.add(writers.submit(() -> {
          for (int i = first; i < records.size(); i += 8) {
            repository.persist(records.get(i));
          }
          return null;
        }));
      }
      for (Future<?> writer : done) {
        writer.get(60, TimeUnit.SECONDS);
      }
    } finally {
      writers.shutdownNow();
    }
    assertEquals(400, H2Databases.count(url, "SELECT COUNT(*) FROM usage_record"));
    assertEquals(5, H2Databases.count(url, "SELECT COUNT(*) FROM model_totals"));
    assertEquals(
        0,
        H2Databases.count(
            url,
            "SELECT COUNT(*) FROM model_totals t WHERE t.tokens <> (SELECT SUM(prompt_tokens + completion_tokens)"
                + " FROM usage_record r WHERE r.model = t.model) OR t.cost <> (SELECT SUM(cost_usd)"
                + " FROM usage_record r WHERE r.model = t.model)"));
  }
}
