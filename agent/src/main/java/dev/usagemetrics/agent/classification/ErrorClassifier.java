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
 * matches anything in the exception's cause chain wins.
 *
 * <p>Types are compared by name through superclasses and interfaces, so a rule may name a class
 * the agent cannot load. Which rules an exception class matches by type is computed once per
 * class ({@link ClassValue}), so the throw path costs a cache lookup per chain element.
 */
public final class ErrorClassifier {

  /** Cause chains are walked at most this far: a cycle or a pathological chain cannot hang us. */
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
    int rule = matchingRuleIndex(error);
    return rule < 0 ? defaultErrorType : rules.get(rule).errorType();
  }

  /** A human-readable account of which rule matched {@code error} and why. */
  public String explain(Throwable error) {
    int ruleIndex = matchingRuleIndex(error);
    if (ruleIndex < 0) {
      return defaultErrorType + " (no rule matched; this is the default for unmatched exceptions)";
    }
    ErrorRule rule = rules.get(ruleIndex);
    for (Throwable element : chainOf(error)) {
      String reason = reasonRuleMatches(ruleIndex, element);
      if (reason != null) {
        return rule.errorType() + " (rule #" + (ruleIndex + 1) + ": " + element.getClass().getName() + " " + reason + ")";
      }
    }
    return rule.errorType() + " (rule #" + (ruleIndex + 1) + ")";
  }

  /**
   * Index of the first rule matching anything in the chain, or -1. The application's overrides of
   * {@code getCause()}, {@code getSQLState()} or {@code getNextException()} may throw: then the
   * exception is classified by what could be read before.
   */
  int matchingRuleIndex(Throwable error) {
    long mask = 0;
    Throwable current = error;
    try {
      for (int steps = 0; current != null && steps < MAX_CHAIN_LENGTH; steps++) {
        mask |= ruleMaskByClass.get(current.getClass());
        if (anySqlStateRule && current instanceof SQLException) {
          mask |= sqlStateMask((SQLException) current);
        }
        current = nextInChain(current);
      }
    } catch (RuntimeException unreadable) {
      // classified by the part of the chain read so far
    }
    return mask == 0 ? -1 : Long.numberOfTrailingZeros(mask);
  }

  /**
   * The cause, or for an {@code SQLException} without a cause its {@code getNextException()}: JDBC
   * drivers report batch and chained failures there.
   */
  private static Throwable nextInChain(Throwable element) {
    Throwable cause = element.getCause();
    if (cause == null && element instanceof SQLException) {
      return ((SQLException) element).getNextException();
    }
    return cause == element ? null : cause;
  }

  private long sqlStateMask(SQLException error) {
    String sqlState = error.getSQLState();
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
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      Class<?> current = pending.poll();
      mask |= ruleMaskByTypeName.getOrDefault(current.getName(), 0L);
      if (current.getSuperclass() != null) {
        pending.add(current.getSuperclass());
      }
      pending.addAll(List.of(current.getInterfaces()));
    }
    return mask;
  }

  private String reasonRuleMatches(int ruleIndex, Throwable element) {
    long bit = 1L << ruleIndex;
    if ((ruleMaskByClass.get(element.getClass()) & bit) != 0) {
      return "is an instance of a listed type " + rules.get(ruleIndex).exceptionClassNames();
    }
    if (element instanceof SQLException && (sqlStateMask((SQLException) element) & bit) != 0) {
      return "has SQLState " + ((SQLException) element).getSQLState();
    }
    return null;
  }

  private static List<Throwable> chainOf(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable current = error; current != null && chain.size() < MAX_CHAIN_LENGTH; current = nextInChain(current)) {
      chain.add(current);
    }
    return chain;
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
