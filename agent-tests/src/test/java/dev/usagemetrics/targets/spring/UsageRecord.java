package dev.usagemetrics.targets.spring;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One LLM call's usage. Ids come from a sequence, so Hibernate inserts at flush time (at commit
 * unless flushed earlier), which is when Bean Validation runs.
 */
@Entity
@Table(name = "usage_record")
public class UsageRecord {

  /** Longer than the database column ({@code schema.sql}): valid here, refused by PostgreSQL (22001). */
  static final int MODEL_MAX_LENGTH = 64;

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "usage_record_seq")
  @SequenceGenerator(
      name = "usage_record_seq",
      sequenceName = "usage_record_seq",
      allocationSize = 50)
  private Long id;

  @NotBlank
  @Size(max = 36)
  @Column(name = "request_id", nullable = false, unique = true)
  private String requestId;

  @NotBlank
  @Size(max = MODEL_MAX_LENGTH)
  @Column(nullable = false)
  private String model;

  @PositiveOrZero
  @Column(nullable = false)
  private long tokens;

  @NotNull
  @DecimalMin("0")
  @Column(nullable = false)
  private BigDecimal cost;

  @NotNull
  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected UsageRecord() {}

  UsageRecord(String requestId, String model, long tokens, BigDecimal cost) {
    this.requestId = requestId;
    this.model = model;
    this.tokens = tokens;
    this.cost = cost;
    this.createdAt = Instant.now();
  }

  public Long getId() {
    return id;
  }

  public String getRequestId() {
    return requestId;
  }

  public String getModel() {
    return model;
  }

  public long getTokens() {
    return tokens;
  }

  public void setTokens(long tokens) {
    this.tokens = tokens;
  }

  public BigDecimal getCost() {
    return cost;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }
}
