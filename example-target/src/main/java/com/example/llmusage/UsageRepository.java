package com.example.llmusage;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/** Durable storage for usage records and the per-model running totals derived from them. */
public interface UsageRepository {

  /**
   * Validates and stores the record, adding it to its model's totals atomically.
   *
   * @throws InvalidUsageRecordException if the record is malformed (nothing is written)
   * @throws SQLException if the database refuses the write (duplicate id, lock timeout, ...);
   *     the transaction has been rolled back
   */
  void persist(UsageRecord record) throws SQLException;

  /**
   * Runs {@link #persist} on an executor owned by the repository. The future completes
   * exceptionally with the exception {@code persist} threw (the same instance).
   */
  CompletableFuture<Void> persistAsync(UsageRecord record);
}
