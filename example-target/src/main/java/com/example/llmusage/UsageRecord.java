package com.example.llmusage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One LLM call's usage, as reported by the gateway. Immutable.
 *
 * <p>The constructor deliberately does not validate: records arrive from outside and may be
 * malformed; rejecting them is the repository's job, so that the rejection is an observable
 * persist failure rather than a crash at the edge.
 */
public final class UsageRecord {
  private final String id;
  private final String model;
  private final int promptTokens;
  private final int completionTokens;
  private final BigDecimal costUsd;
  private final Instant createdAt;

  public UsageRecord(
      String id,
      String model,
      int promptTokens,
      int completionTokens,
      BigDecimal costUsd,
      Instant createdAt) {
    this.id = id;
    this.model = model;
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
    this.costUsd = costUsd;
    this.createdAt = createdAt;
  }

  public String getId() {
    return id;
  }

  public String getModel() {
    return model;
  }

  public int getPromptTokens() {
    return promptTokens;
  }

  public int getCompletionTokens() {
    return completionTokens;
  }

  public BigDecimal getCostUsd() {
    return costUsd;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  /** Total tokens billed for the call. */
  public long totalTokens() {
    return (long) promptTokens + completionTokens;
  }

  @Override
  public String toString() {
    return "UsageRecord{id=" + id + ", model=" + model + ", promptTokens=" + promptTokens
        + ", completionTokens=" + completionTokens + ", costUsd=" + costUsd
        + ", createdAt=" + createdAt + '}';
  }
}
