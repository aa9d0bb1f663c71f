package com.example.llmusage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FixedWorkloadTest {

  @ParameterizedTest
  @EnumSource(WorkloadOptions.Mode.class)
  void outcomeCountsAreExact(WorkloadOptions.Mode mode) throws Exception {
    String url = H2Databases.freshUrl();
    JdbcUsageRepository repository = new JdbcUsageRepository(url, Duration.ofMillis(50));
    PendingUsageQueue queue = new PendingUsageQueue(16);
    AsyncUsageWriter writer = null;
    UsageIntake intake;
    if (mode == WorkloadOptions.Mode.QUEUE) {
      writer = new AsyncUsageWriter(queue, repository, 3);
      writer.start();
      intake = UsageIntake.queued(queue, writer);
    } else {
      intake = UsageIntake.direct(repository);
    }
    FixedWorkload workload =
        new FixedWorkload(intake, new UsageRecordFactory(9), new BillingReconciler(url), 3);
    workload.run(150, 20, 6, 8);
    if (writer != null) {
      writer.drainAndStop();
    }
    repository.close();

    OutcomeTally outcomes = intake.outcomes();
    assertEquals(184, intake.calls());
    assertEquals(150, outcomes.successes());
    assertEquals(20, outcomes.failuresOf(InvalidUsageRecordException.class));
    assertEquals(6, outcomes.failuresOf(java.sql.SQLTimeoutException.class));
    assertEquals(8, outcomes.failuresOf(java.sql.SQLIntegrityConstraintViolationException.class));
    assertEquals(34, outcomes.failuresOf(Throwable.class));
    assertEquals(150, H2Databases.count(url, "SELECT COUNT(*) FROM usage_record"));
  }
}
