package dev.usagemetrics.agent.classification;

import dev.usagemetrics.agent.matching.TypeHierarchy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps a thrown exception to an error type with {@link ErrorRule}s.
 *
 * <p>Precedence, strongest first:
 * <ol>
 *   <li>the user's rules, in their order: the first that matches anything in the chain wins;
 *   <li>the shipped rules by the evidence they match: a vendor error code
 *       ({@code SQLException.getErrorCode()}) anywhere in the chain, else an SQLState anywhere in
 *       the chain, else an exception class anywhere in the chain; among rules matched by the same
 *       kind of evidence, the first in order wins;
 *   <li>the default type.
 * </ol>
 * The database's own verdict thus beats the name a framework gave its wrapper: a PostgreSQL
 * deadlock (SQLState 40P01) that Spring wraps in {@code CannotAcquireLockException} is a failed
 * transaction ({@code db_error}), not a timeout, and MySQL's lock wait timeout (vendor code 1205)
 * is a timeout although its SQLState may say rollback (40001).
 *
 * <p>The chain is the cause chain and, for an {@code SQLException}, its {@code getNextException()}
 * chain (JDBC drivers report batch and chained failures there), each next exception with its own
 * causes, as {@code SQLException.iterator()} walks it. It is walked without allocating, at most
 * {@link #MAX_CHAIN_LENGTH} elements in all, so a cycle cannot hang it.
 *
 * <p>Types are compared by name through superclasses and interfaces, so a rule may name a class
 * the agent cannot load. Which rules an exception class matches by type is computed once per
 * class ({@link ClassValue}), so the throw path costs a cache lookup per chain element.
 */
public final class ErrorClassifier {

  /** At most this many chain elements are examined: a cycle or a pathological chain cannot hang us. */
  static final int MAX_CHAIN_LENGTH = 32;

  /** SQLStates whose rule mask is remembered; an application sees a few dozen at most. */
  static final int MAX_REMEMBERED_SQL_STATES = 1024;

  /** Rule matches are kept as bits of a long. */
  public static final int MAX_RULES = Long.SIZE;

  /** Kinds of evidence a rule can match, strongest first. */
  private enum Evidence {
    ERROR_CODE,
    SQL_STATE,
    TYPE
  }

  private final List<ErrorRule> rules;
  private final String defaultErrorType;
  private final Map<String, Long> ruleMaskByTypeName;
  /** Bits of the user's rules: they apply before the shipped ones, whatever evidence they match. */
  private final long userRules;

  private final boolean anySqlStateRule;
  private final boolean anyErrorCodeRule;
  private final Map<String, Long> sqlStateMasks = new ConcurrentHashMap<>();
  private final ClassValue<Long> ruleMaskByClass = new ClassValue<>() {
    @Override
    protected Long computeValue(Class<?> type) {
      return ruleMaskOfHierarchy(type);
    }
  };

  public ErrorClassifier(List<ErrorRule> rules, String defaultErrorType) {
    if (rules.size() > MAX_RULES) {
      throw new IllegalArgumentException(
          "at most " + MAX_RULES + " error rules are supported, got " + rules.size());
    }
    this.rules = List.copyOf(rules);
    this.defaultErrorType = defaultErrorType;
    this.ruleMaskByTypeName = indexRulesByTypeName(this.rules);
    long user = 0;
    boolean anySqlState = false;
    boolean anyErrorCode = false;
    for (int i = 0; i < this.rules.size(); i++) {
      ErrorRule rule = this.rules.get(i);
      user |= rule.isShipped() ? 0 : 1L << i;
      anySqlState |= !rule.sqlStatePrefixes().isEmpty();
      anyErrorCode |= rule.hasErrorCodes();
    }
    this.userRules = user;
    this.anySqlStateRule = anySqlState;
    this.anyErrorCodeRule = anyErrorCode;
  }

  public String defaultErrorType() {
    return defaultErrorType;
  }

  public List<ErrorRule> rules() {
    return rules;
  }

  /** The error type of {@code error}: the deciding rule's (see the class comment), else the default. */
  public String classify(Throwable error) {
    int rule = decidingRule(error, null);
    return rule < 0 ? defaultErrorType : rules.get(rule).errorType();
  }

  /** A human-readable account of which rule decided {@code error}'s type and on what evidence. */
  public String explain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    int ruleIndex = decidingRule(error, chain);
    if (ruleIndex < 0) {
      return noRuleMatched();
    }
    List<Facts> facts = new ArrayList<>();
    for (Throwable element : chain) {
      facts.add(new Facts(element.getClass(), sqlStateOf(element), errorCodeOf(element)));
    }
    return explain(ruleIndex, facts);
  }

  /**
   * Like {@link #explain(Throwable)} for a chain known only by its classes, outermost first (for
   * classes that cannot be instantiated, or a chain copied from a log): each class counts by its
   * superclasses and interfaces; {@code sqlState} (may be null) and the vendor {@code errorCode}
   * (0: none) are those of the innermost {@code SQLException} in the chain.
   */
  public String explain(List<Class<? extends Throwable>> chain, String sqlState, int errorCode) {
    int innermostSqlException = -1;
    for (int i = 0; i < chain.size(); i++) {
      innermostSqlException =
          SQLException.class.isAssignableFrom(chain.get(i)) ? i : innermostSqlException;
    }
    List<Facts> facts = new ArrayList<>();
    long byType = 0;
    for (int i = 0; i < chain.size(); i++) {
      boolean carriesSqlFacts = i == innermostSqlException;
      facts.add(new Facts(
          chain.get(i), carriesSqlFacts ? sqlState : null, carriesSqlFacts ? errorCode : 0));
      byType |= ruleMaskByClass.get(chain.get(i));
    }
    boolean sqlFacts = innermostSqlException >= 0;
    int ruleIndex = decide(
        byType, sqlFacts ? sqlStateMask(sqlState) : 0, sqlFacts ? errorCodeMask(errorCode) : 0);
    return ruleIndex < 0 ? noRuleMatched() : explain(ruleIndex, facts);
  }

  /**
   * The deciding rule's index, or -1, for an exception whose chain matched the rules in
   * {@code byType}, {@code bySqlState} and {@code byErrorCode} (bit i: rule i).
   */
  private int decide(long byType, long bySqlState, long byErrorCode) {
    long user = (byType | bySqlState | byErrorCode) & userRules;
    if (user != 0) {
      return Long.numberOfTrailingZeros(user);
    }
    long shipped = ~userRules;
    if ((byErrorCode & shipped) != 0) {
      return Long.numberOfTrailingZeros(byErrorCode & shipped);
    }
    if ((bySqlState & shipped) != 0) {
      return Long.numberOfTrailingZeros(bySqlState & shipped);
    }
    if ((byType & shipped) != 0) {
      return Long.numberOfTrailingZeros(byType & shipped);
    }
    return -1;
  }

  /**
   * The deciding rule for {@code error}'s chain, or -1; adds each element examined to
   * {@code visited} unless it is null (the throw path, which must not allocate).
   *
   * <p>The chain is walked in segments: a segment is an exception and its causes; the next segment
   * starts at the next exception of the first {@code SQLException} in this one that has one outside
   * the segment. A next exception that is also a cause (drivers often set both) is visited once.
   */
  private int decidingRule(Throwable error, List<Throwable> visited) {
    long byType = 0;
    long bySqlState = 0;
    long byErrorCode = 0;
    int examined = 0;
    Throwable segment = error;
    try {
      while (segment != null && examined < MAX_CHAIN_LENGTH) {
        Throwable nextSegment = null;
        for (Throwable element = segment;
            element != null && examined < MAX_CHAIN_LENGTH;
            element = causeOf(element)) {
          examined++;
          if (visited != null) {
            visited.add(element);
          }
          byType |= ruleMaskByClass.get(element.getClass());
          if (element instanceof SQLException) {
            SQLException sqlException = (SQLException) element;
            if (anySqlStateRule) {
              bySqlState |= sqlStateMask(sqlException.getSQLState());
            }
            if (anyErrorCodeRule) {
              byErrorCode |= errorCodeMask(sqlException.getErrorCode());
            }
            if (nextSegment == null) {
              Throwable next = sqlException.getNextException();
              nextSegment = next == null || inSegment(segment, next) ? null : next;
            }
          }
        }
        segment = nextSegment;
      }
    } catch (RuntimeException unreadable) {
      // The application's getCause(), getSQLState(), getErrorCode() or getNextException() threw:
      // the exception is classified by the part of the chain read so far.
    }
    return decide(byType, bySqlState, byErrorCode);
  }

  private static Throwable causeOf(Throwable element) {
    Throwable cause = element.getCause();
    return cause == element ? null : cause;
  }

  /** Whether {@code candidate} is {@code segment} or one of its (first {@link #MAX_CHAIN_LENGTH}) causes. */
  private static boolean inSegment(Throwable segment, Throwable candidate) {
    Throwable element = segment;
    for (int steps = 0;
        element != null && steps < MAX_CHAIN_LENGTH;
        steps++, element = causeOf(element)) {
      if (element == candidate) {
        return true;
      }
    }
    return false;
  }

  /**
   * The rules an SQLState matches, remembered per state (there are few): the throw path then reads
   * one map entry, not every rule's prefix strings, which a busy machine may have evicted from the
   * CPU's caches. Bounded: beyond {@link #MAX_REMEMBERED_SQL_STATES} states it computes each time.
   */
  private long sqlStateMask(String sqlState) {
    if (sqlState == null) {
      return 0;
    }
    Long remembered = sqlStateMasks.get(sqlState);
    if (remembered != null) {
      return remembered;
    }
    long mask = sqlStateMaskOfRules(sqlState);
    if (sqlStateMasks.size() < MAX_REMEMBERED_SQL_STATES) {
      sqlStateMasks.put(sqlState, mask);
    }
    return mask;
  }

  private long sqlStateMaskOfRules(String sqlState) {
    long mask = 0;
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matchesSqlState(sqlState)) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  private long errorCodeMask(int errorCode) {
    if (errorCode == 0) {
      return 0;
    }
    long mask = 0;
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matchesErrorCode(errorCode)) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  private long ruleMaskOfHierarchy(Class<?> type) {
    long mask = 0;
    for (Class<?> current : TypeHierarchy.of(type)) {
      mask |= ruleMaskByTypeName.getOrDefault(current.getName(), 0L);
    }
    return mask;
  }

  /** What the classifier reads of one chain element. */
  private static final class Facts {
    final Class<?> type;
    final String sqlState;
    final int errorCode;

    Facts(Class<?> type, String sqlState, int errorCode) {
      this.type = type;
      this.sqlState = sqlState;
      this.errorCode = errorCode;
    }
  }

  /**
   * "type (rule #n: why)", the strongest evidence first, plus any shipped rule of another type that
   * weaker evidence matched and this one outweighed.
   */
  private String explain(int ruleIndex, List<Facts> chain) {
    for (Evidence evidence : Evidence.values()) {
      for (Facts element : chain) {
        String reason = reason(ruleIndex, evidence, element);
        if (reason != null) {
          StringBuilder out = new StringBuilder(rules.get(ruleIndex).errorType())
              .append(" (rule #")
              .append(ruleIndex + 1)
              .append(": ")
              .append(reason);
          boolean userRule = (userRules & (1L << ruleIndex)) != 0;
          appendOverruled(out, ruleIndex, userRule ? null : evidence, chain, element);
          return out.append(')').toString();
        }
      }
    }
    return rules.get(ruleIndex).errorType() + " (rule #" + (ruleIndex + 1) + ")";
  }

  /**
   * Names the first rule of another error type that lost to {@code ruleIndex}: any shipped rule
   * when {@code decidedBy} is null (a user's rule decided), else one matched by weaker evidence.
   * The {@code deciding} element's own class is left out: that an SQLException with a telling
   * SQLState is also an SQLException explains nothing.
   */
  private void appendOverruled(
      StringBuilder out, int ruleIndex, Evidence decidedBy, List<Facts> chain, Facts deciding) {
    for (Evidence evidence : Evidence.values()) {
      if (decidedBy != null && evidence.compareTo(decidedBy) <= 0) {
        continue;
      }
      for (int other = 0; other < rules.size(); other++) {
        boolean candidate = (userRules & (1L << other)) == 0
            && !rules.get(other).errorType().equals(rules.get(ruleIndex).errorType());
        for (Facts element : candidate ? chain : List.<Facts>of()) {
          String overruled = element == deciding && evidence == Evidence.TYPE
              ? null
              : reason(other, evidence, element);
          if (overruled != null) {
            out.append("; ")
                .append(
                    decidedBy == null
                        ? "your rules come before the shipped ones"
                        : describe(decidedBy) + " outweighs " + describe(evidence))
                .append(": rule #")
                .append(other + 1)
                .append(" (")
                .append(rules.get(other).errorType())
                .append(") would match because ")
                .append(overruled);
            return;
          }
        }
      }
    }
  }

  private static String describe(Evidence evidence) {
    switch (evidence) {
      case ERROR_CODE:
        return "a vendor error code";
      case SQL_STATE:
        return "an SQLState";
      default:
        return "an exception class";
    }
  }

  /** Why rule {@code ruleIndex} matches {@code element} by {@code evidence}, or null. */
  private String reason(int ruleIndex, Evidence evidence, Facts element) {
    long bit = 1L << ruleIndex;
    switch (evidence) {
      case ERROR_CODE:
        return (errorCodeMask(element.errorCode) & bit) == 0
            ? null
            : element.type.getName() + " has vendor error code " + element.errorCode;
      case SQL_STATE:
        return (sqlStateMask(element.sqlState) & bit) == 0
            ? null
            : element.type.getName() + " has SQLState " + element.sqlState;
      default:
        if ((ruleMaskByClass.get(element.type) & bit) != 0) {
          for (Class<?> current : TypeHierarchy.of(element.type)) {
            if (rules.get(ruleIndex).exceptionClassNames().contains(current.getName())) {
              return element.type.getName() + " is an instance of " + current.getName();
            }
          }
        }
        return null;
    }
  }

  private static String sqlStateOf(Throwable element) {
    try {
      return element instanceof SQLException ? ((SQLException) element).getSQLState() : null;
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private static int errorCodeOf(Throwable element) {
    try {
      return element instanceof SQLException ? ((SQLException) element).getErrorCode() : 0;
    } catch (RuntimeException unreadable) {
      return 0;
    }
  }

  private String noRuleMatched() {
    return defaultErrorType + " (no rule matched; this is the default for unmatched exceptions)";
  }

  private static Map<String, Long> indexRulesByTypeName(List<ErrorRule> rules) {
    Map<String, Long> index = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      for (String typeName : rules.get(i).exceptionClassNames()) {
        Long mask = index.get(typeName);
        index.put(typeName, (mask == null ? 0 : mask) | 1L << i);
      }
    }
    return Map.copyOf(index);
  }
}
