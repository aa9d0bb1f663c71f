package com.example.llmusage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Produces the usage records an LLM gateway would report: priced calls to a few models, the
 * malformed records buggy clients send, and retries that repeat an earlier record's id.
 *
 * <p>Seeded, so a workload is the same from run to run. Thread-safe.
 */
public final class UsageRecordFactory {

  /**
   * The batch-API model. Its totals are reconciled against the provider's batch invoice, so it
   * is the model whose row the {@link BillingReconciler} holds locked.
   */
  public static final String BATCH_MODEL = "gpt-4o-batch";

  /** Models served interactively; never locked by the reconciler in the fixed workload. */
  public static final List<String> INTERACTIVE_MODELS =
      List.of("gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet", "llama-3.1-70b");

  /** USD per million tokens: {prompt, completion}. */
  private static final Map<String, double[]> PRICES = Map.of(
      "gpt-4o",
      new double[] {2.50, 10.00},
      "gpt-4o-mini",
      new double[] {0.15, 0.60},
      "claude-3-5-sonnet",
      new double[] {3.00, 15.00},
      "llama-3.1-70b",
      new double[] {0.88, 0.88},
      BATCH_MODEL,
      new double[] {1.25, 5.00});

  private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000);

  private final Random random;
  private long sequence;
  private int invalidKind;

  public UsageRecordFactory(long seed) {
    this.random = new Random(seed);
  }

  /** A well-formed call to one of the interactive models. */
  public synchronized UsageRecord valid() {
    return valid(INTERACTIVE_MODELS.get(random.nextInt(INTERACTIVE_MODELS.size())));
  }

  /** A well-formed call to {@code model} with a fresh id. */
  public synchronized UsageRecord valid(String model) {
    int promptTokens = 50 + random.nextInt(4_000);
    int completionTokens = 10 + random.nextInt(1_000);
    return new UsageRecord(
        nextId(),
        model,
        promptTokens,
        completionTokens,
        price(model, promptTokens, completionTokens),
        Instant.now());
  }

  /** A record the repository must reject; cycles through the defects seen from clients. */
  public synchronized UsageRecord invalid() {
    UsageRecord base = valid();
    switch (invalidKind++ % 4) {
      case 0:
        return new UsageRecord(
            base.getId(),
            base.getModel(),
            -base.getPromptTokens(),
            base.getCompletionTokens(),
            base.getCostUsd(),
            base.getCreatedAt());
      case 1:
        return new UsageRecord(
            base.getId(),
            " ",
            base.getPromptTokens(),
            base.getCompletionTokens(),
            base.getCostUsd(),
            base.getCreatedAt());
      case 2:
        return new UsageRecord(
            null,
            base.getModel(),
            base.getPromptTokens(),
            base.getCompletionTokens(),
            base.getCostUsd(),
            base.getCreatedAt());
      default:
        return new UsageRecord(
            base.getId(),
            base.getModel(),
            base.getPromptTokens(),
            base.getCompletionTokens(),
            base.getCostUsd().negate().subtract(BigDecimal.ONE),
            base.getCreatedAt());
    }
  }

  /** A client re-sending {@code original} (e.g. after its own timeout): same id, later time. */
  public UsageRecord retryOf(UsageRecord original) {
    return new UsageRecord(
        original.getId(),
        original.getModel(),
        original.getPromptTokens(),
        original.getCompletionTokens(),
        original.getCostUsd(),
        Instant.now());
  }

  private String nextId() {
    return String.format("req-%08d", ++sequence);
  }

  private static BigDecimal price(String model, int promptTokens, int completionTokens) {
    double[] perMillion = PRICES.get(model);
    return BigDecimal.valueOf(perMillion[0])
        .multiply(BigDecimal.valueOf(promptTokens))
        .add(BigDecimal.valueOf(perMillion[1]).multiply(BigDecimal.valueOf(completionTokens)))
        .divide(PER_MILLION, 8, RoundingMode.HALF_UP);
  }
}
