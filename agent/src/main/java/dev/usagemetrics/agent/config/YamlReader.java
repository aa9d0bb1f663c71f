package dev.usagemetrics.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values out of a composed YAML node tree, collecting every problem with its
 * {@code file:line:column} instead of stopping at the first. Only the node tree is used: no
 * object is ever constructed from the document, so type tags cannot instantiate anything.
 */
final class YamlReader {

  /** The path of the document's root mapping; its keys' paths are their bare names. */
  static final String TOP_LEVEL = "(top level)";

  private static final Set<String> PLAIN_TAGS = Set.of(
      YamlNode.STR,
      YamlNode.INT,
      YamlNode.FLOAT,
      YamlNode.BOOL,
      YamlNode.NULL,
      YamlNode.SEQ,
      YamlNode.MAP);

  private final String source;
  private final EnvironmentSubstitution substitution;
  private final List<ConfigProblem> problems = new ArrayList<>();

  YamlReader(String source, EnvironmentSubstitution substitution) {
    this.source = source;
    this.substitution = substitution;
  }

  List<ConfigProblem> problems() {
    return problems;
  }

  void problem(YamlNode node, String message) {
    problems.add(new ConfigProblem(location(node), message));
  }

  String location(YamlNode node) {
    return source + ":" + (node.line() + 1) + ":" + (node.column() + 1);
  }

  /** Reports every explicit type tag in the tree ({@code !!python/object}, {@code !foo}). */
  void rejectTypeTags(YamlNode root) {
    Set<YamlNode> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    List<YamlNode> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      YamlNode node = pending.remove(pending.size() - 1);
      if (!visited.add(node)) {
        continue;
      }
      if (!PLAIN_TAGS.contains(node.tag())) {
        problem(node, "type tags are not allowed (found '" + node.tag() + "'); remove the tag");
      }
      if (node.isMapping()) {
        for (Map.Entry<YamlNode, YamlNode> entry : node.entries()) {
          pending.add(entry.getKey());
          pending.add(entry.getValue());
        }
      } else if (node.isSequence()) {
        pending.addAll(node.elements());
      }
    }
  }

  /** A mapping with only {@code knownKeys}; null (and a problem) when {@code node} is not one. */
  Mapping mapping(YamlNode node, String path, Set<String> knownKeys) {
    if (!node.isMapping()) {
      problem(node, "'" + path + "' must be a mapping of keys to values, got " + describe(node));
      return null;
    }
    Map<String, YamlNode> values = new LinkedHashMap<>();
    for (Map.Entry<YamlNode, YamlNode> entry : node.entries()) {
      YamlNode keyNode = entry.getKey();
      if (!keyNode.isScalar()) {
        problem(keyNode, "keys under '" + path + "' must be plain names");
        continue;
      }
      String key = keyNode.value();
      if (!knownKeys.isEmpty() && !knownKeys.contains(key)) {
        problem(
            keyNode,
            "unknown key '" + key + "' under '" + path + "'"
                + Suggestions.didYouMean(key, knownKeys));
      } else if (values.containsKey(key)) {
        problem(keyNode, "duplicate key '" + key + "' under '" + path + "'");
      } else {
        values.put(key, entry.getValue());
      }
    }
    return new Mapping(node, path, values);
  }

  /** The elements of a sequence; empty (and a problem) when {@code node} is not one. */
  List<YamlNode> sequence(YamlNode node, String path) {
    if (node.isSequence()) {
      return node.elements();
    }
    problem(node, "'" + path + "' must be a list, got " + describe(node));
    return List.of();
  }

  static String describe(YamlNode node) {
    if (node.isMapping()) {
      return "a mapping";
    }
    if (node.isSequence()) {
      return "a list";
    }
    String tag = node.tag();
    if (tag.equals(YamlNode.NULL)) {
      return "nothing (null)";
    }
    String kind = tag.equals(YamlNode.INT)
        ? "number"
        : tag.equals(YamlNode.FLOAT) ? "number" : tag.equals(YamlNode.BOOL) ? "boolean" : "text";
    return "the " + kind + " '" + node.value() + "'";
  }

  /** A YAML mapping being read; each accessor reports wrong types with the value's location. */
  final class Mapping {
    private final YamlNode node;
    private final String path;
    private final Map<String, YamlNode> values;

    private Mapping(YamlNode node, String path, Map<String, YamlNode> values) {
      this.node = node;
      this.path = path;
      this.values = values;
    }

    YamlNode node() {
      return node;
    }

    boolean has(String key) {
      return values.containsKey(key) && !YamlNode.NULL.equals(values.get(key).tag());
    }

    YamlNode get(String key) {
      return values.get(key);
    }

    String path(String key) {
      return path.equals(TOP_LEVEL) ? key : path + "." + key;
    }

    /** A string value after {@code ${VAR}} substitution, or {@code fallback} when absent. */
    String string(String key, String fallback) {
      if (!has(key)) {
        return fallback;
      }
      return stringValue(values.get(key), path(key), Set.of(YamlNode.STR));
    }

    /** A string that is required; reports a problem and returns null when absent. */
    String requiredString(String key) {
      if (!has(key)) {
        problem(node, "missing required key '" + key + "' under '" + path + "'");
        return null;
      }
      return string(key, null);
    }

    boolean bool(String key, boolean fallback) {
      if (!has(key)) {
        return fallback;
      }
      YamlNode value = values.get(key);
      if (value.isScalar() && YamlNode.BOOL.equals(value.tag())) {
        return Boolean.parseBoolean(value.value().toLowerCase());
      }
      problem(value, "'" + path(key) + "' must be true or false, got " + describe(value));
      return fallback;
    }

    /** A whole number within {@code [min, max]}, or {@code fallback} when absent or wrong. */
    int integer(String key, int fallback, int min, int max) {
      if (!has(key)) {
        return fallback;
      }
      YamlNode value = values.get(key);
      if (value.isScalar() && YamlNode.INT.equals(value.tag())) {
        try {
          int parsed = Integer.parseInt(value.value());
          if (parsed >= min && parsed <= max) {
            return parsed;
          }
        } catch (NumberFormatException tooLarge) {
          // reported below
        }
      }
      problem(
          value,
          "'" + path(key) + "' must be a whole number from " + min + " to " + max + ", got "
              + describe(value));
      return fallback;
    }

    Duration duration(String key, Duration fallback) {
      if (!has(key)) {
        return fallback;
      }
      YamlNode value = values.get(key);
      String text = stringValue(value, path(key), Set.of(YamlNode.STR, YamlNode.INT));
      if (text == null) {
        return fallback;
      }
      Duration parsed = DurationParser.parse(text);
      if (parsed == null || parsed.isZero()) {
        problem(
            value,
            "'" + path(key)
                + "' must be a positive duration with a unit, like '10s' or '500ms'; got '" + text
                + "'");
        return fallback;
      }
      return parsed;
    }

    /**
     * A list of non-empty strings; {@code fallback} when absent. A single string is accepted as a
     * one-element list. {@code acceptedTags} allows numbers where they make sense (SQLStates).
     */
    List<String> stringList(String key, List<String> fallback, Set<String> acceptedTags) {
      if (!has(key)) {
        return fallback;
      }
      YamlNode value = values.get(key);
      if (value.isScalar()) {
        String single = stringValue(value, path(key), acceptedTags);
        return single == null ? fallback : List.of(single);
      }
      List<String> result = new ArrayList<>();
      for (YamlNode element : sequence(value, path(key))) {
        String text = stringValue(element, path(key) + " element", acceptedTags);
        if (text != null) {
          result.add(text);
        }
      }
      return result;
    }

    /** A mapping of names to string values (headers, resource attributes). */
    Map<String, String> stringMap(String key) {
      if (!has(key)) {
        return Map.of();
      }
      Mapping entries = mapping(values.get(key), path(key), Set.of());
      if (entries == null) {
        return Map.of();
      }
      Map<String, String> result = new LinkedHashMap<>();
      for (String name : entries.values.keySet()) {
        String text = entries.stringValue(
            entries.values.get(name),
            entries.path(name),
            Set.of(YamlNode.STR, YamlNode.INT, YamlNode.FLOAT, YamlNode.BOOL));
        if (text != null) {
          result.put(name, text);
        }
      }
      return result;
    }

    private String stringValue(YamlNode value, String valuePath, Set<String> acceptedTags) {
      if (!value.isScalar() || !acceptedTags.contains(value.tag())) {
        problem(
            value,
            "'" + valuePath + "' must be " + (acceptedTags.size() == 1 ? "text" : "a plain value")
                + ", got " + describe(value));
        return null;
      }
      String text = value.value();
      try {
        text = substitution.substitute(text);
      } catch (IllegalArgumentException unset) {
        problem(value, "'" + valuePath + "': " + unset.getMessage());
        return null;
      }
      if (text.isBlank()) {
        problem(value, "'" + valuePath + "' must not be empty");
        return null;
      }
      return text.trim();
    }
  }
}
