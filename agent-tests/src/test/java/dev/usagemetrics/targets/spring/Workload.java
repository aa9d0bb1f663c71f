package dev.usagemetrics.targets.spring;

import static dev.usagemetrics.targets.spring.TableRow.CONNECTION_FAILURE;
import static dev.usagemetrics.targets.spring.TableRow.DEADLOCK;
import static dev.usagemetrics.targets.spring.TableRow.LOCK_TIMEOUT;
import static dev.usagemetrics.targets.spring.TableRow.SERIALIZATION_FAILURE;
import static dev.usagemetrics.targets.spring.TableRow.STATEMENT_TIMEOUT;
import static dev.usagemetrics.targets.spring.TableRow.UNIQUE_VIOLATION;
import static dev.usagemetrics.targets.spring.TableRow.VALIDATION_AT_COMMIT;
import static dev.usagemetrics.targets.spring.TableRow.VALIDATION_AT_FLUSH;
import static dev.usagemetrics.targets.spring.TableRow.VALUE_TOO_LONG;

import dev.usagemetrics.targets.spring.Ledger.View;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the service does when asked: traffic through the queue, then every failure of issue 12's
 * table that PostgreSQL produces, each provoked for real through both persist targets (the service,
 * and the repository called directly), on several threads. Every call of a persist target goes
 * through {@link #counted}, which writes down what the agent must count.
 */
@Component
class Workload {

  private static final Duration WAIT_LIMIT = Duration.ofMillis(100);
  private static final int SERVICE_REPEATS = 2;
  private static final int REPOSITORY_REPEATS = 3;
  private static final int DEADLOCK_ROUNDS = 2;
  /** Deadlock rounds run a service pair and a repository pair at once. */
  static final int MIN_THREADS = 4;

  private static final long BARRIER_TIMEOUT_SECONDS = 30;
  /** Rows the workload inserts with plain SQL take ids far above Hibernate's. */
  private static final long FIXTURE_IDS_FROM = 1_000_000_000L;

  private static final String LONG_MODEL = "a-model-name-of-40-characters-in-all-abc";
  private static final String FIXTURE_INSERT =
      "INSERT INTO usage_record (id, request_id, model, tokens, cost,"
          + " created_at) VALUES (?, ?, 'fixture', 0, 0, now())";
  private static final String LAZY_COMMIT_SCENARIO = "validation_at_commit_after_repository_save";

  /** Thrown once a failed persist call is written down; the original is its cause. */
  private static final class Tallied extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Tallied(Throwable failure) {
      super(failure);
    }
  }

  private final UsageRecordService service;
  private final UsageRecordRepository repository;
  private final JdbcTemplate jdbc;
  private final OutageDataSource dataSource;
  private final Ledger ledger;
  private final TransactionTemplate transaction;
  private final TransactionTemplate repeatableRead;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong fixtureIds = new AtomicLong(FIXTURE_IDS_FROM);
  private final AtomicLong tokenValues = new AtomicLong();

  Workload(
      UsageRecordService service,
      UsageRecordRepository repository,
      JdbcTemplate jdbc,
      OutageDataSource dataSource,
      Ledger ledger,
      PlatformTransactionManager transactions) {
    this.service = service;
    this.repository = repository;
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.ledger = ledger;
    this.transaction = new TransactionTemplate(transactions);
    this.repeatableRead = new TransactionTemplate(transactions);
    repeatableRead.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
  }

  /** Runs everything on {@code threads} workers; returns the queue, with {@code pending} records left in it. */
  PendingUsageQueue run(int traffic, int pending, int threads) throws InterruptedException {
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    try {
      PendingUsageQueue queue = new PendingUsageQueue();
      drain(queue, traffic, workers, threads);
      String existingRequestId = committedRequestId();
      runAll(workers, failures(existingRequestId));
      for (int round = 0; round < DEADLOCK_ROUNDS; round++) {
        runAll(workers, deadlockRound());
      }
      for (int i = 0; i < pending; i++) {
        queue.offer(newRecord(nextRequestId(), "gpt-4o"));
      }
      return queue;
    } finally {
      workers.shutdownNow();
    }
  }

  /** {@code traffic} valid records offered to the queue, polled and persisted by the workers, each method in turn. */
  private void drain(PendingUsageQueue queue, int traffic, ExecutorService workers, int threads)
      throws InterruptedException {
    AtomicInteger toTake = new AtomicInteger(traffic);
    List<Callable<?>> consumers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      consumers.add(() -> {
        while (toTake.get() > 0) {
          UsageRecord record = queue.poll(10, TimeUnit.MILLISECONDS);
          if (record != null) {
            persistValid(record, toTake.decrementAndGet());
          }
        }
        return null;
      });
    }
    List<Future<?>> running = submitAll(workers, consumers);
    for (int i = 0; i < traffic; i++) {
      queue.offer(newRecord(nextRequestId(), "gpt-4o-mini"));
    }
    awaitAll(running);
  }

  private void persistValid(UsageRecord record, int turn) {
    switch (turn % 7) {
      case 0 -> viaService(null, () -> service.record(record));
      case 1 -> viaService(null, () -> service.recordNow(record));
      case 2 -> viaService(null, () -> service.recordAll(List.of(record)));
      case 3 -> viaRepository(null, () -> repository.save(record));
      case 4 -> viaRepository(null, () -> repository.saveAndFlush(record));
      case 5 -> viaRepository(null, () -> repository.saveAll(List.of(record)));
      default -> viaRepository(null, () -> repository.saveAllAndFlush(List.of(record)));
    }
  }

  /** Each row of the table but the deadlock, through the service and through the repository. */
  private List<Callable<?>> failures(String existingRequestId) {
    List<Callable<?>> tasks = new ArrayList<>();
    for (int i = 0; i < SERVICE_REPEATS; i++) {
      tasks.add(() -> contested(id -> viaService(
          STATEMENT_TIMEOUT,
          () -> service.recordWithin(newRecord(id, "gpt-4o"), WaitLimit.statements(WAIT_LIMIT)))));
      tasks.add(() -> contested(id -> viaService(
          LOCK_TIMEOUT,
          () -> service.recordWithin(newRecord(id, "gpt-4o"), WaitLimit.lockWaits(WAIT_LIMIT)))));
      tasks.add(() -> {
        long id = fixtureRow();
        return viaService(SERIALIZATION_FAILURE, () -> {
          service.amendAfterRead(id, tokenValues.incrementAndGet(), () -> changeConcurrently(id));
          return null;
        });
      });
      tasks.add(() -> viaService(
          UNIQUE_VIOLATION, () -> service.record(newRecord(existingRequestId, "gpt-4o"))));
      tasks.add(() ->
          viaService(VALUE_TOO_LONG, () -> service.record(newRecord(nextRequestId(), LONG_MODEL))));
      tasks.add(() -> viaService(VALIDATION_AT_FLUSH, () -> service.recordNow(invalidRecord())));
      tasks.add(() -> viaService(VALIDATION_AT_COMMIT, () -> service.record(invalidRecord())));
      tasks.add(() -> dataSource.during(() -> viaService(
          CONNECTION_FAILURE, () -> service.record(newRecord(nextRequestId(), "gpt-4o")))));
    }
    for (int i = 0; i < REPOSITORY_REPEATS; i++) {
      tasks.add(() -> contested(id -> inTransaction(transaction, () -> {
        WaitLimit.statements(WAIT_LIMIT).apply(jdbc);
        return viaRepository(
            STATEMENT_TIMEOUT, () -> repository.saveAndFlush(newRecord(id, "gpt-4o")));
      })));
      tasks.add(() -> contested(id -> inTransaction(transaction, () -> {
        WaitLimit.lockWaits(WAIT_LIMIT).apply(jdbc);
        return viaRepository(LOCK_TIMEOUT, () -> repository.saveAndFlush(newRecord(id, "gpt-4o")));
      })));
      tasks.add(() -> {
        long id = fixtureRow();
        return inTransaction(repeatableRead, () -> {
          UsageRecord record = repository.findById(id).orElseThrow();
          changeConcurrently(id);
          record.setTokens(tokenValues.incrementAndGet());
          return viaRepository(SERIALIZATION_FAILURE, () -> repository.saveAndFlush(record));
        });
      });
      tasks.add(() -> viaRepository(
          UNIQUE_VIOLATION, () -> repository.saveAndFlush(newRecord(existingRequestId, "gpt-4o"))));
      tasks.add(() -> viaRepository(
          VALUE_TOO_LONG, () -> repository.saveAndFlush(newRecord(nextRequestId(), LONG_MODEL))));
      tasks.add(
          () -> viaRepository(VALIDATION_AT_FLUSH, () -> repository.saveAndFlush(invalidRecord())));
      // Called outside any transaction: the repository's own transaction commits inside the call.
      tasks.add(() -> viaRepository(VALIDATION_AT_COMMIT, () -> repository.save(invalidRecord())));
      tasks.add(() -> dataSource.during(() -> viaRepository(
          CONNECTION_FAILURE, () -> repository.save(newRecord(nextRequestId(), "gpt-4o")))));
      tasks.add(this::saveThenFailAtCommit);
    }
    return tasks;
  }

  /**
   * The repository's {@code save} inside the caller's transaction returns normally (the insert waits
   * for the flush); the commit, outside any persist method, then fails Bean Validation.
   */
  private Object saveThenFailAtCommit() {
    ledger.plan(LAZY_COMMIT_SCENARIO, 1);
    try {
      inTransaction(transaction, () -> viaRepository(null, () -> repository.save(invalidRecord())));
      ledger.unexpected(LAZY_COMMIT_SCENARIO + ": the commit succeeded", null);
    } catch (TransactionSystemException failure) {
      if (TableRow.of(failure).equals(Optional.of(VALIDATION_AT_COMMIT))) {
        ledger.produced(LAZY_COMMIT_SCENARIO, failure);
      } else {
        ledger.unexpected(LAZY_COMMIT_SCENARIO, failure);
      }
    }
    return null;
  }

  /**
   * Two pairs of transactions, one pair through the service and one through the repository, each
   * updating the same two rows in opposite order: PostgreSQL aborts one of each pair (40P01).
   */
  private List<Callable<?>> deadlockRound() {
    List<Callable<?>> tasks = new ArrayList<>();
    long[] serviceRows = {fixtureRow(), fixtureRow()};
    CyclicBarrier serviceBarrier = new CyclicBarrier(2);
    long[] repositoryRows = {fixtureRow(), fixtureRow()};
    CyclicBarrier repositoryBarrier = new CyclicBarrier(2);
    for (int first = 0; first < 2; first++) {
      long firstId = serviceRows[first];
      long secondId = serviceRows[1 - first];
      tasks.add(() -> viaService(DEADLOCK, () -> {
        service.amendBoth(
            firstId, secondId, tokenValues.incrementAndGet(), () -> await(serviceBarrier));
        return null;
      }));
      long firstRow = repositoryRows[first];
      long secondRow = repositoryRows[1 - first];
      tasks.add(() -> inTransaction(transaction, () -> {
        UsageRecord one = amended(firstRow);
        viaRepository(DEADLOCK, () -> repository.saveAndFlush(one));
        await(repositoryBarrier);
        UsageRecord other = amended(secondRow);
        return viaRepository(DEADLOCK, () -> repository.saveAndFlush(other));
      }));
    }
    ledger.plan(scenario(DEADLOCK, View.SERVICE), 1);
    ledger.plan(scenario(DEADLOCK, View.BOTH), 1);
    return tasks;
  }

  private <T> T viaService(TableRow provoked, Callable<T> call) {
    return counted(provoked, View.SERVICE, call, View.SERVICE, View.BOTH);
  }

  /** A direct repository call (the repository view counts it in {@link RepositoryCallTally}). */
  private <T> T viaRepository(TableRow provoked, Callable<T> call) {
    return counted(provoked, View.BOTH, call, View.BOTH);
  }

  /**
   * Makes an outermost persist call and writes it down in {@code views}; a failure that is the
   * table row {@code provoked} counts as produced by the scenario (planned here, except deadlocks,
   * where only one call of each pair fails). Throws {@link Tallied} if it failed.
   */
  private <T> T counted(TableRow provoked, View target, Callable<T> call, View... views) {
    String scenario = provoked == null ? "traffic" : scenario(provoked, target);
    if (provoked != null && provoked != DEADLOCK) {
      ledger.plan(scenario, 1);
    }
    try {
      T result = call.call();
      for (View view : views) {
        ledger.success(view);
      }
      return result;
    } catch (Exception failure) {
      for (View view : views) {
        ledger.failure(view, failure);
      }
      Optional<TableRow> row = TableRow.of(failure);
      if (provoked != null && row.equals(Optional.of(provoked))) {
        ledger.produced(scenario, failure);
      } else {
        ledger.unexpected(
            scenario + " failed as " + row.map(TableRow::label).orElse("no row of the table"),
            failure);
      }
      throw new Tallied(failure);
    }
  }

  /** {@code deadlock_via_service}, {@code deadlock_via_repository}, ... */
  private static String scenario(TableRow row, View target) {
    return row.label() + "_via_" + (target == View.SERVICE ? "service" : "repository");
  }

  /**
   * Runs {@code attempt} with a request id another open transaction has just inserted: inserting it
   * again waits for that transaction, which rolls back afterwards.
   */
  private <T> T contested(Function<String, T> attempt) throws SQLException {
    String requestId = nextRequestId();
    try (Connection blocker = dataSource.getConnection()) {
      blocker.setAutoCommit(false);
      insertFixture(blocker, fixtureIds.incrementAndGet(), requestId);
      try {
        return attempt.apply(requestId);
      } finally {
        blocker.rollback();
      }
    }
  }

  /** Another transaction changes the row and commits, on a connection of its own. */
  private void changeConcurrently(long id) {
    try (Connection other = dataSource.getConnection();
        PreparedStatement update =
            other.prepareStatement("UPDATE usage_record SET tokens = tokens + 1 WHERE id = ?")) {
      other.setAutoCommit(true);
      update.setLong(1, id);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the concurrent update failed", e);
    }
  }

  /** A row inserted with plain SQL (not a persist call); returns its id. */
  private long fixtureRow() {
    long id = fixtureIds.incrementAndGet();
    jdbc.update(connection -> {
      PreparedStatement insert = connection.prepareStatement(FIXTURE_INSERT);
      bindFixture(insert, id, nextRequestId());
      return insert;
    });
    return id;
  }

  /** A committed row for the unique violations to collide with; returns its request id. */
  private String committedRequestId() {
    long id = fixtureRow();
    return jdbc.queryForObject(
        "SELECT request_id FROM usage_record WHERE id = ?", String.class, id);
  }

  private static void insertFixture(Connection connection, long id, String requestId)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(FIXTURE_INSERT)) {
      bindFixture(insert, id, requestId);
      insert.executeUpdate();
    }
  }

  private static void bindFixture(PreparedStatement insert, long id, String requestId)
      throws SQLException {
    insert.setLong(1, id);
    insert.setString(2, requestId);
  }

  /** Row {@code id}, read in the current transaction, with new tokens. */
  private UsageRecord amended(long id) {
    UsageRecord record = repository.findById(id).orElseThrow();
    record.setTokens(tokenValues.incrementAndGet());
    return record;
  }

  private static <T> T inTransaction(TransactionTemplate template, Callable<T> work) {
    return template.execute(status -> {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the barrier", e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("the other transaction of the pair never came", e);
    }
  }

  private String nextRequestId() {
    return "req-" + requests.incrementAndGet();
  }

  private static UsageRecord newRecord(String requestId, String model) {
    return new UsageRecord(requestId, model, 1200, new BigDecimal("0.0042"));
  }

  /** Fails Bean Validation (negative tokens), which Hibernate checks when it inserts. */
  private UsageRecord invalidRecord() {
    return new UsageRecord(nextRequestId(), "gpt-4o", -1, new BigDecimal("0.0042"));
  }

  /** Runs the tasks on the workers; a task failing other than through {@link Tallied} is unexpected. */
  private void runAll(ExecutorService workers, List<Callable<?>> tasks)
      throws InterruptedException {
    awaitAll(submitAll(workers, tasks));
  }

  private List<Future<?>> submitAll(ExecutorService workers, List<Callable<?>> tasks) {
    List<Future<?>> running = new ArrayList<>();
    for (Callable<?> task : tasks) {
      running.add(workers.submit(() -> {
        try {
          return task.call();
        } catch (Tallied written) {
          return null;
        }
      }));
    }
    return running;
  }

  private void awaitAll(List<Future<?>> running) throws InterruptedException {
    for (Future<?> task : running) {
      try {
        task.get();
      } catch (ExecutionException e) {
        ledger.unexpected("a task failed", e.getCause());
      }
    }
  }
}
