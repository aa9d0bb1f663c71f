package com.example.llmusage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncUsageWriterTest {

  @Test
  void queueIsBounded() throws InterruptedException {
    PendingUsageQueue queue = new PendingUsageQueue(2);
    UsageRecordFactory factory = new UsageRecordFactory(3);
    assertTrue(queue.offer(factory.valid()));
    assertTrue(queue.offer(factory.valid()));
    assertFalse(queue.offer(factory.valid()));
    assertEquals(2, queue.size());
    assertEquals(2, queue.capacity());
    queue.poll(1, TimeUnit.MILLISECONDS);
    queue.poll(1, TimeUnit.MILLISECONDS);
    assertNull(queue.poll(10, TimeUnit.MILLISECONDS));
  }

  @Test
  void drainAndStopPersistsEverythingAndCountsFailuresByType() throws Exception {
    String url = H2Databases.freshUrl();
    JdbcUsageRepository repository = new JdbcUsageRepository(url, Duration.ofMillis(50));
    PendingUsageQueue queue = new PendingUsageQueue(100);
    UsageRecordFactory factory = new UsageRecordFactory(4);
    UsageRecord first = factory.valid();
    queue.offer(first);
    for (int i = 0; i < 60; i++) {
      queue.offer(factory.valid());
    }
    queue.offer(factory.invalid());
    AsyncUsageWriter writer = new AsyncUsageWriter(queue, repository, 3);
    writer.start();
    writer.awaitProcessed(62);
    queue.offer(factory.retryOf(first));
    writer.drainAndStop();
    repository.close();

    assertEquals(0, queue.size());
    assertEquals(63, writer.processed());
    assertEquals(61, writer.outcomes().successes());
    assertEquals(1, writer.outcomes().failuresOf(InvalidUsageRecordException.class));
    assertEquals(1, writer.outcomes().failuresOf(SQLIntegrityConstraintViolationException.class));
    assertEquals(61, H2Databases.count(url, "SELECT COUNT(*) FROM usage_record"));
  }

  @Test
  void stopNowLeavesQueuedRecordsInPlace() throws Exception {
    JdbcUsageRepository repository =
        new JdbcUsageRepository(H2Databases.freshUrl(), Duration.ofMillis(50));
    PendingUsageQueue queue = new PendingUsageQueue(10);
    AsyncUsageWriter writer = new AsyncUsageWriter(queue, repository, 2);
    writer.start();
    writer.stopNow();
    UsageRecordFactory factory = new UsageRecordFactory(5);
    for (int i = 0; i < 7; i++) {
      queue.offer(factory.valid());
    }
    Thread.sleep(100);
    repository.close();
    assertEquals(7, queue.size());
    assertEquals(0, writer.processed());
  }
}
