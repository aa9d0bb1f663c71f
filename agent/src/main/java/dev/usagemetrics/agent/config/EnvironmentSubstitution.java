package dev.usagemetrics.agent.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in configuration strings with environment
 * variables, so secrets (API keys in headers) stay out of the file.
 */
final class EnvironmentSubstitution {

  /** Compiled when a value first has a reference: most configurations have none. */
  private static final class Reference {
    static final Pattern PATTERN =
        Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::-([^}]*))?}");
  }

  /**
   * The variables by name. A map rather than a function: {@code System.getenv()::get} would spin
   * a lambda class in premain, the JVM's first costing milliseconds.
   */
  private final Map<String, String> environment;

  EnvironmentSubstitution(Map<String, String> environment) {
    this.environment = environment;
  }

  static EnvironmentSubstitution ofSystemEnvironment() {
    return new EnvironmentSubstitution(System.getenv());
  }

  /**
   * {@code text} with every reference replaced; throws {@link IllegalArgumentException} naming
   * the variable when one is unset and has no default.
   */
  String substitute(String text) {
    if (!text.contains("${")) {
      return text;
    }
    Matcher matcher = Reference.PATTERN.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = environment.get(name);
      if (value == null || (value.isEmpty() && matcher.group(2) != null)) {
        value = matcher.group(2);
      }
      if (value == null) {
        throw new IllegalArgumentException("environment variable '" + name
            + "' is not set (set it, or give a default: ${" + name + ":-value})");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
