package dev.usagemetrics.targets;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/**
 * The outcomes a purpose-built persist method produces, and cheap exceptions for them: a new
 * instance per failure (so retention per exception would show) without a stack trace (so millions
 * of calls stay fast). Each is classified by the agent's shipped rules.
 */
public final class SyntheticFailures {

  public static final int SUCCESS = 0;
  public static final int VALIDATION = 1;
  public static final int TIMEOUT = 2;
  public static final int DB_ERROR = 3;

  /** Report keys, indexed by outcome; the failure keys are the agent's error_type values. */
  static final String[] NAMES = {"success", "validation", "timeout", "db_error"};

  private SyntheticFailures() {}

  /** The outcome of call number {@code i}: 7 in 10 succeed, then one of each failure. */
  public static int outcomeOf(long i) {
    int slot = (int) (i % 10);
    return slot < 7 ? SUCCESS : slot - 6;
  }

  /** Returns for {@link #SUCCESS}, else throws a new exception of that kind. */
  public static void produce(int outcome) throws SQLException {
    switch (outcome) {
      case SUCCESS:
        return;
      case VALIDATION:
        throw new Invalid();
      case TIMEOUT:
        throw new Timeout();
      default:
        throw new Broken();
    }
  }

  /** The outcome a caught exception stands for, as the application itself tells them apart. */
  public static int outcomeOfFailure(Exception caught) {
    if (caught instanceof Invalid) {
      return VALIDATION;
    }
    return caught instanceof Timeout ? TIMEOUT : DB_ERROR;
  }

  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Invalid() {
      super("invalid usage record");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  static final class Timeout extends SQLTimeoutException {
    private static final long serialVersionUID = 1L;

    Timeout() {
      super("lock wait timeout");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  static final class Broken extends SQLException {
    private static final long serialVersionUID = 1L;

    Broken() {
      super("connection lost", "08006");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
