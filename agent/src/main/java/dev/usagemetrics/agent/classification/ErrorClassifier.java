package dev.usagemetrics.agent.classification;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a thrown exception to an error type with ordered {@link ErrorRule}s: the first rule that
 * matches anything in the exception's chain wins.
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

  /** Rule matches are kept as bits of a long. */
  public static final int MAX_RULES = Long.SIZE;

  private final List<ErrorRule> rules;
  private final String defaultErrorType;
  private final Map<String, Long> ruleMaskByTypeName;
  private final boolean anySqlStateRule;
  private final ClassValue<Long> ruleMaskByClass =
      new ClassValue<>() {
        @Override
        protected Long computeValue(Class<?> type) {
          return ruleMaskOfHierarchy(type);
        }
      };

  public ErrorClassifier(List<ErrorRule> rules, String defaultErrorType) {
    if (rules.size() > MAX_RULES) {
      throw new IllegalArgumentException("at most " + MAX_RULES + " error rules are supported, got " + rules.size());
    }
    this.rules = List.copyOf(rules);
    this.defaultErrorType = defaultErrorType;
    this.ruleMaskByTypeName = indexRulesByTypeName(this.rules);
    this.anySqlStateRule = this.rules.stream().anyMatch(rule -> !rule.sqlStatePrefixes().isEmpty());
  }

  public String defaultErrorType() {
    return defaultErrorType;
  }

  public List<ErrorRule> rules() {
    return rules;
  }

  /** The error type of {@code error}: the first matching rule's, else the default. */
  public String classify(Throwable error) {
    int rule = firstRule(chainMask(error, null));
    return rule < 0 ? defaultErrorType : rules.get(rule).errorType();
  }

  /** A human-readable account of which rule matched {@code error} and why. */
  public String explain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    int ruleIndex = firstRule(chainMask(error, chain));
    if (ruleIndex < 0) {
      return noRuleMatched();
    }
    for (Throwable element : chain) {
      String reason = reasonRuleMatches(ruleIndex, element.getClass(), sqlStateOf(element));
      if (reason != null) {
        return matched(ruleIndex, element.getClass().getName() + " " + reason);
      }
    }
    return matched(ruleIndex, "");
  }

  /**
   * Like {@link #explain(Throwable)} for an exception of class {@code type} without a cause, known
   * only by its class: its superclasses and interfaces and, for an {@code SQLException}, the given
   * {@code sqlState} (may be null). For classes that cannot be instantiated.
   */
  public String explain(Class<? extends Throwable> type, String sqlState) {
    String state = SQLException.class.isAssignableFrom(type) ? sqlState : null;
    int ruleIndex = firstRule(ruleMaskByClass.get(type) | sqlStateMask(state));
    if (ruleIndex < 0) {
      return noRuleMatched();
    }
    return matched(ruleIndex, type.getName() + " " + reasonRuleMatches(ruleIndex, type, state));
  }

  private static int firstRule(long mask) {
    return mask == 0 ? -1 : Long.numberOfTrailingZeros(mask);
  }

  /**
   * The rules matched by anything in {@code error}'s chain, as bits; adds each element examined to
   * {@code visited} unless it is null (the throw path, which must not allocate).
   *
   * <p>The chain is walked in segments: a segment is an exception and its causes; the next segment
   * starts at the next exception of the first {@code SQLException} in this one that has one outside
   * the segment. A next exception that is also a cause (drivers often set both) is visited once.
   */
  private long chainMask(Throwable error, List<Throwable> visited) {
    long mask = 0;
    int examined = 0;
    Throwable segment = error;
    try {
      while (segment != null && examined < MAX_CHAIN_LENGTH) {
        Throwable nextSegment = null;
        for (Throwable element = segment; element != null && examined < MAX_CHAIN_LENGTH; element = causeOf(element)) {
          examined++;
          mask |= ruleMaskOf(element);
          if (visited != null) {
            visited.add(element);
          }
          if (nextSegment == null && element instanceof SQLException) {
            Throwable next = ((SQLException) element).getNextException();
            nextSegment = next == null || inSegment(segment, next) ? null : next;
          }
        }
        segment = nextSegment;
      }
    } catch (RuntimeException unreadable) {
      // The application's getCause(), getSQLState() or getNextException() threw: the exception is
      // classified by the part of the chain read so far.
    }
    return mask;
  }


  private static Throwable causeOf(Throwable element) {
    Throwable cause = element.getCause();
    return cause == element ? null : cause;
  }

  /** Whether {@code candidate} is {@code segment} or one of its (first {@link #MAX_CHAIN_LENGTH}) causes. */
  private static boolean inSegment(Throwable segment, Throwable candidate) {
    Throwable element = segment;
    for (int steps = 0; element != null && steps < MAX_CHAIN_LENGTH; steps++, element = causeOf(element)) {
      if (element == candidate) {
        return true;
      }
    }
    return false;
  }

  private long ruleMaskOf(Throwable element) {
    long mask = ruleMaskByClass.get(element.getClass());
    if (anySqlStateRule && element instanceof SQLException) {
      mask |= sqlStateMask(((SQLException) element).getSQLState());
    }
    return mask;
  }

  private long sqlStateMask(String sqlState) {
    if (sqlState == null) {
      return 0;
    }
    long mask = 0;
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).matchesSqlState(sqlState)) {
        mask |= 1L << i;
      }
    }
    return mask;
  }

  private long ruleMaskOfHierarchy(Class<?> type) {
    long mask = 0;
    for (Class<?> current : hierarchyOf(type)) {
      mask |= ruleMaskByTypeName.getOrDefault(current.getName(), 0L);
    }
    return mask;
  }

  /** {@code type}, then its superclasses and interfaces, nearest first. Only already-loaded classes. */
  private static List<Class<?>> hierarchyOf(Class<?> type) {
    List<Class<?>> hierarchy = new ArrayList<>();
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      Class<?> current = pending.poll();
      hierarchy.add(current);
      if (current.getSuperclass() != null) {
        pending.add(current.getSuperclass());
      }
      pending.addAll(List.of(current.getInterfaces()));
    }
    return hierarchy;
  }

  /** Why rule {@code ruleIndex} matches an exception of {@code type} with {@code sqlState}, or null. */
  private String reasonRuleMatches(int ruleIndex, Class<?> type, String sqlState) {
    long bit = 1L << ruleIndex;
    ErrorRule rule = rules.get(ruleIndex);
    if ((ruleMaskByClass.get(type) & bit) != 0) {
      for (Class<?> current : hierarchyOf(type)) {
        if (rule.exceptionClassNames().contains(current.getName())) {
          return "is an instance of " + current.getName();
        }
      }
    }
    if ((sqlStateMask(sqlState) & bit) != 0) {
      return "has SQLState " + sqlState;
    }
    return null;
  }

  private static String sqlStateOf(Throwable element) {
    return element instanceof SQLException ? ((SQLException) element).getSQLState() : null;
  }

  private String matched(int ruleIndex, String reason) {
    return rules.get(ruleIndex).errorType() + " (rule #" + (ruleIndex + 1) + (reason.isEmpty() ? "" : ": " + reason) + ")";
  }

  private String noRuleMatched() {
    return defaultErrorType + " (no rule matched; this is the default for unmatched exceptions)";
  }

  private static Map<String, Long> indexRulesByTypeName(List<ErrorRule> rules) {
    Map<String, Long> index = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      for (String typeName : rules.get(i).exceptionClassNames()) {
        index.merge(typeName, 1L << i, (a, b) -> a | b);
      }
    }
    return Map.copyOf(index);
  }
}
