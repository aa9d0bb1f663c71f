package dev.usagemetrics.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads typed values out of a composed YAML node tree, collecting every problem with its
 * {@code file:line:column} instead of stopping at the first. Only the node tree is used: no
 * object is ever constructed from the document, so type tags cannot instantiate anything.
 */
final class YamlReader {

  /** The path of the document's root mapping; its keys' paths are their bare names. */
  static final String TOP_LEVEL = "(top level)";

  private static final Set<Tag> PLAIN_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ, Tag.MAP);

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

  void problem(Node node, String message) {
    problems.add(new ConfigProblem(location(node), message));
  }

  String location(Node node) {
    return node.getStartMark()
        .map(mark -> source + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1))
        .orElse(source);
  }

  /** Reports every explicit type tag in the tree ({@code !!python/object}, {@code !foo}). */
  void rejectTypeTags(Node root) {
    Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      Node node = pending.remove(pending.size() - 1);
      if (!visited.add(node)) {
        continue;
      }
      if (!PLAIN_TAGS.contains(node.getTag())) {
        problem(
            node,
            "type tags are not allowed (found '" + node.getTag().getValue() + "'); remove the tag");
      }
      if (node instanceof MappingNode) {
        for (NodeTuple tuple : ((MappingNode) node).getValue()) {
          pending.add(tuple.getKeyNode());
          pending.add(tuple.getValueNode());
        }
      } else if (node instanceof SequenceNode) {
        pending.addAll(((SequenceNode) node).getValue());
      }
    }
  }

  /** A mapping with only {@code knownKeys}; null (and a problem) when {@code node} is not one. */
  Mapping mapping(Node node, String path, Set<String> knownKeys) {
    if (!(node instanceof MappingNode)) {
      problem(node, "'" + path + "' must be a mapping of keys to values, got " + describe(node));
      return null;
    }
    Map<String, Node> values = new LinkedHashMap<>();
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode)) {
        problem(keyNode, "keys under '" + path + "' must be plain names");
        continue;
      }
      String key = ((ScalarNode) keyNode).getValue();
      if (!knownKeys.isEmpty() && !knownKeys.contains(key)) {
        problem(
            keyNode,
            "unknown key '" + key + "' under '" + path + "'"
                + Suggestions.didYouMean(key, knownKeys));
      } else if (values.containsKey(key)) {
        problem(keyNode, "duplicate key '" + key + "' under '" + path + "'");
      } else {
        values.put(key, tuple.getValueNode());
      }
    }
    return new Mapping(node, path, values);
  }

  /** The elements of a sequence; empty (and a problem) when {@code node} is not one. */
  List<Node> sequence(Node node, String path) {
    if (node instanceof SequenceNode) {
      return ((SequenceNode) node).getValue();
    }
    problem(node, "'" + path + "' must be a list, got " + describe(node));
    return List.of();
  }

  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    Tag tag = node.getTag();
    if (tag.equals(Tag.NULL)) {
      return "nothing (null)";
    }
    String kind = tag.equals(Tag.INT)
        ? "number"
        : tag.equals(Tag.FLOAT) ? "number" : tag.equals(Tag.BOOL) ? "boolean" : "text";
    return "the " + kind + " '" + ((ScalarNode) node).getValue() + "'";
  }

  /** A YAML mapping being read; each accessor reports wrong types with the value's location. */
  final class Mapping {
    private final Node node;
    private final String path;
    private final Map<String, Node> values;

    private Mapping(Node node, String path, Map<String, Node> values) {
      this.node = node;
      this.path = path;
      this.values = values;
    }

    Node node() {
      return node;
    }

    boolean has(String key) {
      return values.containsKey(key) && !Tag.NULL.equals(values.get(key).getTag());
    }

    Node get(String key) {
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
      return stringValue(values.get(key), path(key), Set.of(Tag.STR));
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
      Node value = values.get(key);
      if (value instanceof ScalarNode && Tag.BOOL.equals(value.getTag())) {
        return Boolean.parseBoolean(((ScalarNode) value).getValue().toLowerCase());
      }
      problem(value, "'" + path(key) + "' must be true or false, got " + describe(value));
      return fallback;
    }

    /** A whole number within {@code [min, max]}, or {@code fallback} when absent or wrong. */
    int integer(String key, int fallback, int min, int max) {
      if (!has(key)) {
        return fallback;
      }
      Node value = values.get(key);
      if (value instanceof ScalarNode && Tag.INT.equals(value.getTag())) {
        try {
          int parsed = Integer.parseInt(((ScalarNode) value).getValue());
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
      Node value = values.get(key);
      String text = stringValue(value, path(key), Set.of(Tag.STR, Tag.INT));
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
    List<String> stringList(String key, List<String> fallback, Set<Tag> acceptedTags) {
      if (!has(key)) {
        return fallback;
      }
      Node value = values.get(key);
      if (value instanceof ScalarNode) {
        String single = stringValue(value, path(key), acceptedTags);
        return single == null ? fallback : List.of(single);
      }
      List<String> result = new ArrayList<>();
      for (Node element : sequence(value, path(key))) {
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
            Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL));
        if (text != null) {
          result.put(name, text);
        }
      }
      return result;
    }

    private String stringValue(Node value, String valuePath, Set<Tag> acceptedTags) {
      if (!(value instanceof ScalarNode) || !acceptedTags.contains(value.getTag())) {
        problem(
            value,
            "'" + valuePath + "' must be " + (acceptedTags.size() == 1 ? "text" : "a plain value")
                + ", got " + describe(value));
        return null;
      }
      ScalarNode scalar = (ScalarNode) value;
      String text = scalar.getValue();
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
