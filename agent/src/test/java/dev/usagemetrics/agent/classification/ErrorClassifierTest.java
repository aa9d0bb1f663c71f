package dev.usagemetrics.agent.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  private static final ErrorClassifier DEFAULTS =
      new ErrorClassifier(DefaultErrorRules.rules(), DefaultErrorRules.DEFAULT_ERROR_TYPE);

  /** A driver-specific timeout, as a JDBC driver would define it. */
  static final class DriverQueryTimeout extends SQLTimeoutException {
    private static final long serialVersionUID = 1L;
  }

  static final class BadAmount extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
  }

  /** An exception whose cause can point anywhere, including back up the chain. */
  static final class Looping extends RuntimeException {
    private static final long serialVersionUID = 1L;
    Throwable next;

    @Override
    public synchronized Throwable getCause() {
      return next;
    }
  }

  static final class LoopingTimeout extends SQLTimeoutException {
    private static final long serialVersionUID = 1L;
    Throwable next;

    @Override
    public synchronized Throwable getCause() {
      return next;
    }
  }

  /** Counts how often the classifier reads its SQLState: once per time it is examined. */
  static final class CountingSqlException extends SQLException {
    private static final long serialVersionUID = 1L;
    int sqlStateReads;

    @Override
    public String getSQLState() {
      sqlStateReads++;
      return super.getSQLState();
    }
  }

  /** An SQLException whose next exception can point anywhere, including back up the chain. */
  static final class LoopingNext extends SQLException {
    private static final long serialVersionUID = 1L;
    SQLException next;

    LoopingNext(String reason, String sqlState) {
      super(reason, sqlState);
    }

    @Override
    public SQLException getNextException() {
      return next;
    }
  }

  /** An application exception whose getCause() throws. */
  static final class UnreadableCause extends SQLTimeoutException {
    private static final long serialVersionUID = 1L;

    @Override
    public synchronized Throwable getCause() {
      throw new IllegalStateException("getCause() is broken");
    }
  }

  /** A driver exception whose getSQLState() throws. */
  static final class UnreadableState extends SQLException {
    private static final long serialVersionUID = 1L;

    @Override
    public String getSQLState() {
      throw new IllegalStateException("getSQLState() is broken");
    }
  }

  interface MoreSpecificVendorSignal extends VendorTimeoutSignal {}

  static final class SubInterfaceTimeout extends RuntimeException
      implements MoreSpecificVendorSignal {
    private static final long serialVersionUID = 1L;
  }

  static final class FakeVendorTimeoutSubclass extends FakeVendorTimeout {
    private static final long serialVersionUID = 1L;

    FakeVendorTimeoutSubclass() {
      super("sub");
    }
  }

  private static String classify(Throwable error) {
    return DEFAULTS.classify(error);
  }

  private static SQLException withState(String sqlState) {
    return new SQLException("failed", sqlState);
  }

  @Test
  void exceptionWhoseGetCauseThrowsIsClassifiedByWhatCouldBeRead() {
    assertEquals("timeout", classify(new UnreadableCause()), "its own type was read");
    assertEquals(
        "timeout",
        classify(new IllegalArgumentException(new UnreadableCause())),
        "rules in order over what was read");
    assertEquals(
        "db_error",
        classify(new RuntimeException() {
          private static final long serialVersionUID = 1L;

          @Override
          public synchronized Throwable getCause() {
            throw new IllegalStateException("getCause() is broken");
          }
        }),
        "nothing matched: the default");
  }

  @Test
  void exceptionWhoseGetSqlStateThrowsIsClassifiedByItsType() {
    assertEquals("db_error", classify(new UnreadableState()));
    assertEquals("timeout", classify(new java.util.concurrent.TimeoutException() {
      private static final long serialVersionUID = 1L;

      @Override
      public synchronized Throwable getCause() {
        return new UnreadableState();
      }
    }));
  }

  @Test
  void sqlTimeoutIsTimeout() {
    assertEquals("timeout", classify(new SQLTimeoutException("slow")));
  }

  @Test
  void driverSubclassOfSqlTimeoutIsTimeout() {
    assertEquals("timeout", classify(new DriverQueryTimeout()));
  }

  @Test
  void timeoutWrappedInRuntimeExceptionIsFoundInTheCauseChain() {
    assertEquals(
        "timeout",
        classify(new RuntimeException(
            "wrapper", new IllegalStateException("mid", new SQLTimeoutException()))));
  }

  @Test
  void otherJdkTimeoutsAreTimeout() {
    assertEquals("timeout", classify(new TimeoutException()));
    assertEquals("timeout", classify(new java.net.SocketTimeoutException()));
  }

  @Test
  void plainSqlExceptionIsDbError() {
    assertEquals("db_error", classify(new SQLException("boom")));
  }

  @Test
  void integrityViolationStateIsDbError() {
    assertEquals("db_error", classify(withState("23505")));
  }

  @Test
  void dataExceptionStateIsValidationBeforeTheSqlExceptionTypeRule() {
    assertEquals("validation", classify(withState("22001")));
  }

  @Test
  void timeoutStatesMatchByPrefixAndExactly() {
    assertEquals("timeout", classify(withState("57014")));
    assertEquals("timeout", classify(withState("HYT00")));
    assertEquals("timeout", classify(withState("55P03")));
  }

  @Test
  void sqlStatePrefixMatchesLongerStatesOnly() {
    ErrorClassifier classifier = new ErrorClassifier(
        List.of(new ErrorRule("validation", List.of(), List.of("22"), List.of())), "db_error");
    assertEquals("validation", classifier.classify(withState("22")));
    assertEquals("validation", classifier.classify(withState("22P02")));
    assertEquals("db_error", classifier.classify(withState("2")));
    assertEquals("db_error", classifier.classify(withState("42P01")));
    assertEquals("db_error", classifier.classify(new SQLException("no state")));
  }

  @Test
  void sqlDataExceptionIsValidationEvenWithoutAState() {
    assertEquals("validation", classify(new java.sql.SQLDataException("value too long")));
  }

  @Test
  void integrityConstraintViolationIsDbError() {
    assertEquals(
        "db_error", classify(new SQLIntegrityConstraintViolationException("dup", "23505")));
  }

  @Test
  void illegalArgumentAndSubclassesAreValidation() {
    assertEquals("validation", classify(new IllegalArgumentException("bad")));
    assertEquals("validation", classify(new NumberFormatException("bad number")));
    assertEquals("validation", classify(new BadAmount()));
  }

  @Test
  void unmatchedExceptionGetsTheDefault() {
    assertEquals("db_error", classify(new IllegalStateException("closed")));
  }

  @Test
  void unmatchedExceptionGetsACustomDefault() {
    ErrorClassifier classifier = new ErrorClassifier(DefaultErrorRules.rules(), "validation");
    assertEquals("validation", classifier.classify(new IllegalStateException("closed")));
    assertEquals("validation", classifier.defaultErrorType());
  }

  @Test
  void causeCycleTerminatesAndStillClassifies() {
    Looping a = new Looping();
    LoopingTimeout b = new LoopingTimeout();
    a.next = b;
    b.next = a;

    String type = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> classify(a));
    assertEquals("timeout", type);
  }

  @Test
  void causeCycleThroughInitCauseTerminates() {
    RuntimeException a = new RuntimeException("a");
    IllegalStateException b = new IllegalStateException("b");
    a.initCause(b);
    b.initCause(a);

    assertEquals("db_error", assertTimeoutPreemptively(Duration.ofSeconds(1), () -> classify(a)));
    assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(1), () -> DEFAULTS.explain(a))
        .startsWith("db_error (no rule matched"));
  }

  @Test
  void causeBeyondTheChainLimitIsNotSeen() {
    Throwable chain = new SQLTimeoutException();
    for (int i = 0; i < ErrorClassifier.MAX_CHAIN_LENGTH - 1; i++) {
      chain = new RuntimeException(chain);
    }
    assertEquals("timeout", classify(chain), "timeout at the last allowed position");
    assertEquals("db_error", classify(new RuntimeException(chain)), "timeout one beyond the limit");
  }

  @Test
  void ruleNamingAnInterfaceMatchesImplementationsByName() {
    ErrorClassifier classifier = new ErrorClassifier(
        List.of(new ErrorRule(
            "timeout",
            List.of("dev.usagemetrics.agent.classification.VendorTimeoutSignal"),
            List.of(),
            List.of())),
        "db_error");

    assertEquals("timeout", classifier.classify(new FakeVendorTimeout("vendor")));
    assertEquals("timeout", classifier.classify(new FakeVendorTimeoutSubclass()));
    assertEquals("timeout", classifier.classify(new SubInterfaceTimeout()));
    assertEquals(
        "timeout", classifier.classify(new RuntimeException(new FakeVendorTimeout("wrapped"))));
    assertEquals("db_error", classifier.classify(new RuntimeException("unrelated")));
  }

  @Test
  void ruleNamingAnExactTestClassMatchesIt() {
    ErrorClassifier classifier = new ErrorClassifier(
        List.of(new ErrorRule(
            "timeout",
            List.of("dev.usagemetrics.agent.classification.FakeVendorTimeout"),
            List.of(),
            List.of())),
        "db_error");
    assertEquals("timeout", classifier.classify(new FakeVendorTimeout("vendor")));
  }

  @Test
  void rulesNamingClassesMissingFromTheClasspathAreHarmless() {
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("javax.persistence.QueryTimeoutException"));
    assertTrue(DefaultErrorRules.rules()
        .get(0)
        .exceptionClassNames()
        .contains("javax.persistence.QueryTimeoutException"));
    assertEquals("timeout", classify(new SQLTimeoutException()));
  }

  @Test
  void userRulePlacedBeforeDefaultsWins() {
    List<ErrorRule> rules = new ArrayList<>();
    rules.add(
        new ErrorRule("validation", List.of("java.sql.SQLTimeoutException"), List.of(), List.of()));
    rules.addAll(DefaultErrorRules.rules());
    ErrorClassifier classifier = new ErrorClassifier(rules, "db_error");

    assertEquals("validation", classifier.classify(new SQLTimeoutException()));
    assertEquals("timeout", classifier.classify(withState("57014")));
  }

  @Test
  void earlierRuleWinsEvenWhenItMatchesDeeperInTheChain() {
    // An IllegalArgumentException (validation, rule #2) caused by an SQL timeout (timeout, rule
    // #1).
    assertEquals(
        "timeout", classify(new IllegalArgumentException("bad", new SQLTimeoutException())));
  }

  @Test
  void explainNamesTheRuleNumberAndTheNearestListedType() {
    assertEquals(
        "timeout (rule #1: " + DriverQueryTimeout.class.getName()
            + " is an instance of java.sql.SQLTimeoutException)",
        DEFAULTS.explain(new RuntimeException(new DriverQueryTimeout())));
    assertEquals(
        "validation (rule #2: " + BadAmount.class.getName()
            + " is an instance of java.lang.IllegalArgumentException)",
        DEFAULTS.explain(new BadAmount()));
  }

  @Test
  void explainOfAClassUsesItsHierarchyAndTheSqlState() {
    assertEquals(
        "timeout (rule #1: " + DriverQueryTimeout.class.getName()
            + " is an instance of java.sql.SQLTimeoutException)",
        DEFAULTS.explain(List.of(DriverQueryTimeout.class), null, 0));
    assertEquals(
        "timeout (rule #1: java.sql.SQLException has SQLState 57014)",
        DEFAULTS.explain(List.of(SQLException.class), "57014", 0));
    assertEquals(
        "db_error (rule #3: java.sql.SQLException is an instance of java.sql.SQLException)",
        DEFAULTS.explain(List.of(SQLException.class), null, 0));
    assertEquals(
        "db_error (no rule matched; this is the default for unmatched exceptions)",
        DEFAULTS.explain(List.of(IllegalStateException.class), "57014", 1205),
        "an SQLState only counts on an SQLException");
  }

  @Test
  void explainNamesTheRuleNumberAndTheSqlState() {
    assertEquals(
        "validation (rule #2: java.sql.SQLException has SQLState 22001)",
        DEFAULTS.explain(withState("22001")));
    assertEquals(
        "timeout (rule #1: java.sql.SQLException has SQLState 57014)",
        DEFAULTS.explain(new RuntimeException(withState("57014"))));
  }

  @Test
  void explainSaysWhenNoRuleMatched() {
    assertEquals(
        "db_error (no rule matched; this is the default for unmatched exceptions)",
        DEFAULTS.explain(new IllegalStateException()));
  }

  @Test
  void nextExceptionChainIsWalkedWhenThereIsNoCause() {
    SQLException batch = new SQLException("batch failed");
    batch.setNextException(new SQLException("row 1 failed"));
    batch.getNextException().setNextException(new SQLTimeoutException("row 2 timed out"));

    assertEquals("timeout", classify(batch));
  }

  @Test
  void nextExceptionChainIsWalkedAfterTheCauseChain() {
    SQLException outer = new SQLException("outer", new IllegalStateException("cause"));
    outer.setNextException(new SQLTimeoutException("next"));
    assertEquals("timeout", classify(outer));
  }

  @Test
  void causesOfNextExceptionsAreWalked() {
    SQLException batch = new SQLException("batch failed");
    batch.setNextException(new SQLException("row 1 failed", new TimeoutException("lock wait")));
    assertEquals("timeout", classify(batch));
  }

  @Test
  void nextExceptionOfAnSqlExceptionDeeperInTheCauseChainIsWalked() {
    SQLException batch = new SQLException("batch failed");
    batch.setNextException(new SQLTimeoutException("row 2 timed out"));
    assertEquals(
        "timeout",
        classify(new RuntimeException("repository failed", new IllegalStateException(batch))));
  }

  @Test
  void nextExceptionThatIsAlsoTheCauseIsExaminedOnce() {
    CountingSqlException shared = new CountingSqlException();
    SQLException batch = new SQLException("batch failed", shared);
    batch.setNextException(shared);

    assertEquals("db_error", classify(batch));
    assertEquals(1, shared.sqlStateReads, "examined once");
  }

  @Test
  void nextExceptionCycleTerminatesAndStillClassifies() {
    LoopingNext a = new LoopingNext("a", null);
    LoopingNext b = new LoopingNext("b", "57014");
    a.next = b;
    b.next = a;

    assertEquals("timeout", assertTimeoutPreemptively(Duration.ofSeconds(1), () -> classify(a)));
    assertTrue(assertTimeoutPreemptively(Duration.ofSeconds(1), () -> DEFAULTS.explain(a))
        .startsWith("timeout (rule #1: "));
  }

  @Test
  void nextExceptionsBeyondTheChainLimitAreNotSeen() {
    assertEquals(
        "timeout",
        classify(nextChainEndingInTimeout(ErrorClassifier.MAX_CHAIN_LENGTH)),
        "timeout at the last allowed position");
    assertEquals(
        "db_error",
        classify(nextChainEndingInTimeout(ErrorClassifier.MAX_CHAIN_LENGTH + 1)),
        "timeout one beyond the limit");
  }

  @Test
  void classifyingDoesNotAllocate() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SQLException batch = new SQLException("batch failed", new IllegalStateException("cause"));
    batch.setNextException(new SQLException("row failed", "40001"));
    Throwable error = new RuntimeException("wrapper", batch);
    for (int i = 0; i < 20_000; i++) {
      classify(error);
    }
    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    int calls = 100_000;
    for (int i = 0; i < calls; i++) {
      classify(error);
    }
    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
    assertTrue(
        allocated < calls / 10,
        "allocated " + allocated + " bytes for " + calls + " classifications");
  }

  @Test
  void sixtyFourRulesAreAcceptedAndTheLastOneWorks() {
    List<ErrorRule> rules = rulesNamingNothing(63);
    rules.add(
        new ErrorRule("timeout", List.of("java.sql.SQLTimeoutException"), List.of(), List.of()));
    ErrorClassifier classifier = new ErrorClassifier(rules, "db_error");

    assertEquals("timeout", classifier.classify(new SQLTimeoutException()));
    assertTrue(classifier.explain(new SQLTimeoutException()).startsWith("timeout (rule #64: "));
  }

  @Test
  void sixtyFiveRulesAreRejected() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> new ErrorClassifier(rulesNamingNothing(65), "db_error"));
    assertEquals("at most 64 error rules are supported, got 65", e.getMessage());
  }

  private static SQLException nextChainEndingInTimeout(int length) {
    SQLException head = new SQLException("element 1");
    for (int i = 2; i < length; i++) {
      head.setNextException(new SQLException("element " + i));
    }
    head.setNextException(new SQLTimeoutException("element " + length));
    return head;
  }

  private static List<ErrorRule> rulesNamingNothing(int count) {
    List<ErrorRule> rules = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rules.add(new ErrorRule("db_error", List.of("com.example.Unused" + i), List.of(), List.of()));
    }
    return rules;
  }
}
