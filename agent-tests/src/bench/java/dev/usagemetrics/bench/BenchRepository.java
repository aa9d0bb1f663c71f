package dev.usagemetrics.bench;

import java.sql.SQLException;

/**
 * The persist target of every benchmark: trivial and allocation-free, so that whatever an agent
 * adds around it dominates the measurement.
 */
public class BenchRepository {

  /** Stands in for storing one usage record: a few arithmetic operations on its value. */
  public long persist(long usageTokens) {
    return Long.rotateLeft(usageTokens * 0x9E3779B97F4A7C15L, 17) ^ usageTokens;
  }

  /** A persist call that fails with {@code failure}, thrown as is (the caller chooses preallocated or fresh). */
  public long persistFailing(long usageTokens, SQLException failure) throws SQLException {
    return fail(usageTokens, failure);
  }

  /**
   * The same call under a name no agent is configured with: beside {@link #persistFailing} in the
   * same JVM, the difference is what the agent adds ({@link PairedThrowingBenchmark}).
   */
  public long persistFailingUnmeasured(long usageTokens, SQLException failure) throws SQLException {
    return fail(usageTokens, failure);
  }

  private long fail(long usageTokens, SQLException failure) throws SQLException {
    if (persist(usageTokens) != Long.MIN_VALUE) {
      throw failure;
    }
    return usageTokens;
  }
}
