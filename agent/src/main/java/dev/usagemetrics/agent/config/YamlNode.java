package dev.usagemetrics.agent.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A node of a composed YAML document, as {@link YamlReader} reads it: a scalar, a sequence or a
 * mapping, its tag and where it starts. The configuration's own tree, so that reading one written
 * in plain block YAML ({@link BlockYamlComposer}) loads no class of SnakeYAML Engine; the engine's
 * trees are converted into it ({@link YamlEngineComposer}).
 *
 * <p>Immutable once composed. A collection's list may still be filled after the node is made, by
 * the composer that made it and before it hands the tree over: an alias can make a collection hold
 * itself.
 */
final class YamlNode {

  /** The tags of the JSON schema, spelled as the engine spells them; any other tag is a type tag. */
  static final String STR = "tag:yaml.org,2002:str";

  static final String INT = "tag:yaml.org,2002:int";
  static final String FLOAT = "tag:yaml.org,2002:float";
  static final String BOOL = "tag:yaml.org,2002:bool";
  static final String NULL = "tag:yaml.org,2002:null";
  static final String SEQ = "tag:yaml.org,2002:seq";
  static final String MAP = "tag:yaml.org,2002:map";

  private final String tag;

  /** Exactly one of these is set: the scalar's text, the sequence's elements, the mapping's entries. */
  private final String value;

  private final List<YamlNode> elements;
  private final List<Map.Entry<YamlNode, YamlNode>> entries;

  /** Where the node starts, counted from 0 (columns in code points). */
  private final int line;

  private final int column;

  private YamlNode(
      String tag,
      String value,
      List<YamlNode> elements,
      List<Map.Entry<YamlNode, YamlNode>> entries,
      int line,
      int column) {
    this.tag = tag;
    this.value = value;
    this.elements = elements == null ? null : Collections.unmodifiableList(elements);
    this.entries = entries == null ? null : Collections.unmodifiableList(entries);
    this.line = line;
    this.column = column;
  }

  static YamlNode scalar(String tag, String value, int line, int column) {
    return new YamlNode(tag, value, null, null, line, column);
  }

  /** A sequence of {@code elements}, a list the caller no longer changes once the tree is done. */
  static YamlNode sequence(String tag, List<YamlNode> elements, int line, int column) {
    return new YamlNode(tag, null, elements, null, line, column);
  }

  /** A mapping of {@code entries} (key, value), a list the caller no longer changes once done. */
  static YamlNode mapping(
      String tag, List<Map.Entry<YamlNode, YamlNode>> entries, int line, int column) {
    return new YamlNode(tag, null, null, entries, line, column);
  }

  /**
   * The resolved tag ({@link #STR}, {@link #INT}, ...) or the one written in the document, as
   * SnakeYAML Engine spells it ({@code !foo}, {@code tag:yaml.org,2002:python/object}).
   */
  String tag() {
    return tag;
  }

  boolean isScalar() {
    return value != null;
  }

  boolean isSequence() {
    return elements != null;
  }

  boolean isMapping() {
    return entries != null;
  }

  /** The scalar's text; null for a collection. */
  String value() {
    return value;
  }

  /** The sequence's elements, in order; null for a scalar or mapping. */
  List<YamlNode> elements() {
    return elements;
  }

  /** The mapping's key and value nodes, in order; null for a scalar or sequence. */
  List<Map.Entry<YamlNode, YamlNode>> entries() {
    return entries;
  }

  /** The line the node starts on, from 0. */
  int line() {
    return line;
  }

  /** The column the node starts at, from 0, in code points. */
  int column() {
    return column;
  }
}
