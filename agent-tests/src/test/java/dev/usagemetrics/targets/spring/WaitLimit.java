package dev.usagemetrics.targets.spring;

import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A PostgreSQL wait limit for the rest of the current transaction ({@code SET LOCAL}):
 * {@code statement_timeout} fails a statement with 57014, {@code lock_timeout} with 55P03.
 */
record WaitLimit(String setting, Duration limit) {

  static WaitLimit statements(Duration limit) {
    return new WaitLimit("statement_timeout", limit);
  }

  static WaitLimit lockWaits(Duration limit) {
    return new WaitLimit("lock_timeout", limit);
  }

  /** Applies it through {@code jdbc}, which takes part in the caller's transaction. */
  void apply(JdbcTemplate jdbc) {
    jdbc.queryForObject(
        "SELECT set_config(?, ?, true)", String.class, setting, limit.toMillis() + "ms");
  }
}
