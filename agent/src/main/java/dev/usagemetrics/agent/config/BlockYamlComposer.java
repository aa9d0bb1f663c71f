package dev.usagemetrics.agent.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Composes the plain block YAML a configuration is written in into the {@link YamlNode} tree that
 * {@link YamlEngineComposer} makes of it with SnakeYAML Engine (same nodes, tags, values and start
 * positions), without loading any class of the engine: the engine took about 40 ms of premain. It
 * declines (empty) whatever is outside this subset, and the engine composes it, and words its
 * errors, as before:
 *
 * <ul>
 *   <li>printable text without tabs or carriage returns; comments and blank lines anywhere;
 *   <li>block mappings with plain keys; block sequences, also at their key's indentation; entries
 *       holding a value, a nested block or a compact mapping ({@code - class: a.B});
 *   <li>values on the key's line: plain, single-quoted, double-quoted without escapes, or a flow
 *       sequence of those ({@code [a, 'b']}).
 * </ul>
 *
 * <p>Declined, among others: anchors, aliases, tags, directives, document markers, flow mappings,
 * block and multi-line scalars, quoted keys, and any document the engine would refuse.
 */
final class BlockYamlComposer {

  /** Thrown where the document leaves the subset; made once, since declining is a normal outcome. */
  private static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Declined() {
      super(null, null, false, false);
    }
  }

  private static final Declined DECLINED = new Declined();

  /** Characters that cannot start a plain scalar (YAML 1.2, section 7.3.3). */
  private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

  /** The engine refuses a key whose ':' is further than this from its start. */
  private static final int MAX_KEY_LENGTH = 1024;

  /** The document as code points: the engine counts columns in code points. */
  private final int[] text;

  /** The lines with content (not blank, not only a comment): start, end, indentation, number. */
  private final int[] lineStarts;

  private final int[] lineEnds;
  private final int[] indents;
  private final int[] lineNumbers;
  private final int lineCount;

  /** The content line being read, and the position in {@link #text}. */
  private int line;

  private int pos;

  /** The document's root node; empty when the document is outside the subset or empty. */
  static Optional<YamlNode> compose(String yaml) {
    try {
      return Optional.of(new BlockYamlComposer(yaml).document());
    } catch (Declined outsideTheSubset) {
      return Optional.empty();
    }
  }

  private BlockYamlComposer(String yaml) {
    this.text = codePoints(yaml);
    if (text.length > ConfigLoader.MAX_FILE_BYTES) {
      throw DECLINED; // the engine refuses it (its code point limit)
    }
    int lines = 1;
    for (int c : text) {
      lines += c == '\n' ? 1 : 0;
    }
    lineStarts = new int[lines];
    lineEnds = new int[lines];
    indents = new int[lines];
    lineNumbers = new int[lines];
    int count = 0;
    int start = 0;
    for (int number = 0; number < lines; number++) {
      int end = start;
      while (end < text.length && text[end] != '\n') {
        if (!isPlainText(text[end])) {
          throw DECLINED;
        }
        end++;
      }
      int indent = 0;
      while (start + indent < end && text[start + indent] == ' ') {
        indent++;
      }
      if (start + indent < end && text[start + indent] != '#') {
        if (indent == 0 && (startsWith(start, "---") || startsWith(start, "..."))) {
          throw DECLINED; // document markers
        }
        lineStarts[count] = start;
        lineEnds[count] = end;
        indents[count] = indent;
        lineNumbers[count] = number;
        count++;
      }
      start = end + 1;
    }
    lineCount = count;
  }

  private static int[] codePoints(String yaml) {
    int[] points = new int[yaml.length()];
    int count = 0;
    for (int i = 0; i < yaml.length(); ) {
      int c = yaml.codePointAt(i);
      points[count++] = c;
      i += Character.charCount(c);
    }
    return Arrays.copyOf(points, count);
  }

  /**
   * Printable, and nothing the engine reads as a line break or skips without counting a column: no
   * tab, CR, NEL, line or paragraph separator, byte order mark.
   */
  private static boolean isPlainText(int c) {
    return (c >= 0x20 && c <= 0x7E)
        || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029)
        || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF)
        || c >= 0x10000;
  }

  private boolean startsWith(int at, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (at + i >= text.length || text[at + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private YamlNode document() {
    if (lineCount == 0) {
      throw DECLINED; // the engine composes nothing, which the loader reports as an empty file
    }
    YamlNode root = block(indents[0]);
    if (line < lineCount) {
      throw DECLINED; // a line that belongs to no collection (less indented than the root)
    }
    return root;
  }

  /** The block collection that starts the current line at {@code indent}. */
  private YamlNode block(int indent) {
    pos = lineStarts[line] + indent;
    return isEntry(pos) ? sequence(indent) : mapping();
  }

  /** A block mapping whose first key is at {@code pos}; its other keys start lines at its column. */
  private YamlNode mapping() {
    int column = pos - lineStarts[line];
    int startLine = lineNumbers[line];
    List<Map.Entry<YamlNode, YamlNode>> entries = new ArrayList<>();
    while (true) {
      YamlNode key = key();
      entries.add(Map.entry(key, nodeAfterIndicator(column, false)));
      if (line == lineCount || indents[line] < column) {
        break;
      }
      if (indents[line] > column) {
        throw DECLINED; // a scalar continued on the next line, or a misplaced line
      }
      pos = lineStarts[line] + column;
    }
    return YamlNode.mapping(YamlNode.MAP, entries, startLine, column);
  }

  /** A block sequence whose entries start lines at {@code column} with "- ". */
  private YamlNode sequence(int column) {
    int startLine = lineNumbers[line];
    List<YamlNode> entries = new ArrayList<>();
    while (true) {
      pos = lineStarts[line] + column + 1;
      entries.add(nodeAfterIndicator(column, true));
      if (line == lineCount || indents[line] < column) {
        break;
      }
      if (indents[line] > column) {
        throw DECLINED; // a scalar continued on the next line, or a misplaced line
      }
      if (!isEntry(lineStarts[line] + column)) {
        break; // a key after a sequence at its key's indentation
      }
    }
    return YamlNode.sequence(YamlNode.SEQ, entries, startLine, column);
  }

  /** Whether a sequence entry's "-" is at {@code at}, on the current line. */
  private boolean isEntry(int at) {
    return text[at] == '-' && (at + 1 == lineEnds[line] || text[at + 1] == ' ');
  }

  /** A plain key at {@code pos} and its ':'; leaves {@code pos} after the ':'. */
  private YamlNode key() {
    int start = pos;
    if (!startsPlain()) {
      throw DECLINED;
    }
    int end = plainEnd(false);
    if (!at(':') || pos - start >= MAX_KEY_LENGTH) {
      throw DECLINED;
    }
    pos++;
    return plain(start, end);
  }

  /**
   * The node after a key's ':' or an entry's '-' at {@code pos}, in a collection at {@code column}:
   * on the same line, or a block on the lines below, or else an empty scalar right after the
   * indicator, as the engine places it.
   */
  private YamlNode nodeAfterIndicator(int column, boolean inSequence) {
    int afterIndicatorLine = lineNumbers[line];
    int afterIndicatorColumn = pos - lineStarts[line];
    skipSpaces();
    if (!atLineEnd()) {
      return inSequence && atKey() ? mapping() : inline();
    }
    line++;
    if (line < lineCount && indents[line] > column) {
      return block(indents[line]);
    }
    if (!inSequence && line < lineCount && indents[line] == column) {
      pos = lineStarts[line] + column;
      if (isEntry(pos)) {
        return sequence(column);
      }
    }
    return YamlNode.scalar(YamlNode.NULL, "", afterIndicatorLine, afterIndicatorColumn);
  }

  /** Whether a plain key and its ':' are at {@code pos} (a compact mapping in an entry). */
  private boolean atKey() {
    int start = pos;
    boolean key = false;
    if (startsPlain()) {
      plainEnd(false);
      key = at(':');
    }
    pos = start;
    return key;
  }

  /** A scalar or flow sequence at {@code pos}, followed by nothing but a comment on its line. */
  private YamlNode inline() {
    YamlNode node = at('[') ? flowSequence() : scalar(false);
    skipSpaces();
    if (!atLineEnd()) {
      throw DECLINED;
    }
    line++;
    return node;
  }

  /** A one-line flow sequence of scalars at {@code pos}; leaves {@code pos} after its ']'. */
  private YamlNode flowSequence() {
    int column = pos - lineStarts[line];
    List<YamlNode> items = new ArrayList<>();
    pos++;
    skipSpaces();
    if (!at(']')) {
      while (true) {
        items.add(scalar(true));
        skipSpaces();
        if (!at(',')) {
          break;
        }
        pos++;
        skipSpaces();
      }
      if (!at(']')) {
        throw DECLINED;
      }
    }
    pos++;
    return YamlNode.sequence(YamlNode.SEQ, items, lineNumbers[line], column);
  }

  /** A quoted or plain scalar at {@code pos}; leaves {@code pos} after it. */
  private YamlNode scalar(boolean inFlow) {
    if (at('\'') || at('"')) {
      return quoted();
    }
    if (!startsPlain()) {
      throw DECLINED;
    }
    int start = pos;
    return plain(start, plainEnd(inFlow));
  }

  /**
   * Whether a plain scalar starts at {@code pos}: not at an indicator, except a '-' before a digit
   * or '.' (-1, -.5), which the engine reads as plain in and out of flow sequences.
   */
  private boolean startsPlain() {
    if (atLineEnd() || at(' ')) {
      return false;
    }
    int c = text[pos];
    return INDICATORS.indexOf(c) < 0
        || (c == '-'
            && pos + 1 < lineEnds[line]
            && (isDigit(text[pos + 1]) || text[pos + 1] == '.'));
  }

  /**
   * Reads the plain scalar at {@code pos} where the engine ends it: at the line's end, " #", a ':'
   * before a space or the line's end, and in a flow sequence at ",[]{}" (and a ':' before them).
   * Leaves {@code pos} there and returns where its text ends (trailing spaces are not part of it).
   */
  private int plainEnd(boolean inFlow) {
    int end = pos;
    for (int lineEnd = lineEnds[line]; pos < lineEnd; pos++) {
      int c = text[pos];
      int next = pos + 1 < lineEnd ? text[pos + 1] : '\n';
      if (c == ' ') {
        if (next == '#') {
          break;
        }
      } else if ((c == ':' && (next == ' ' || next == '\n' || inFlow && isFlowIndicator(next)))
          || (inFlow && isFlowIndicator(c))) {
        break;
      } else {
        end = pos + 1;
      }
    }
    return end;
  }

  private static boolean isFlowIndicator(int c) {
    return c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
  }

  private YamlNode plain(int start, int end) {
    String value = new String(text, start, end - start);
    return YamlNode.scalar(tagOf(value), value, lineNumbers[line], start - lineStarts[line]);
  }

  /** A quoted scalar closed on its line, without escapes; leaves {@code pos} after it. */
  private YamlNode quoted() {
    int start = pos;
    int quote = text[pos++];
    StringBuilder value = new StringBuilder();
    for (int lineEnd = lineEnds[line]; ; pos++) {
      if (pos == lineEnd || (quote == '"' && text[pos] == '\\')) {
        throw DECLINED; // folded over lines, or an escape
      }
      if (text[pos] == quote) {
        if (quote == '"' || pos + 1 == lineEnd || text[pos + 1] != '\'') {
          break;
        }
        pos++; // '' is one quote inside single quotes
      }
      value.appendCodePoint(text[pos]);
    }
    pos++;
    return YamlNode.scalar(
        YamlNode.STR, value.toString(), lineNumbers[line], start - lineStarts[line]);
  }

  /**
   * The tag the engine's JSON schema resolves a plain scalar to, with {@code ${VAR}} kept as text
   * like {@link ConfigLoader} configures it: its regular expressions, checked by hand.
   */
  static String tagOf(String value) {
    switch (value) {
      case "":
      case "null":
        return YamlNode.NULL;
      case "true":
      case "false":
        return YamlNode.BOOL;
      case ".inf":
      case "-.inf":
      case ".nan":
        return YamlNode.FLOAT;
      default:
    }
    // -?(0|[1-9][0-9]*) is an int; followed by (\.[0-9]*)?([eE][-+]?[0-9]+)? a float
    int i = integerEnd(value);
    if (i < 0) {
      return YamlNode.STR;
    }
    if (i == value.length()) {
      return YamlNode.INT;
    }
    if (value.charAt(i) == '.') {
      i = digitsEnd(value, i + 1);
    }
    if (i < value.length() && (value.charAt(i) == 'e' || value.charAt(i) == 'E')) {
      int exponent = i + 1;
      if (exponent < value.length()
          && (value.charAt(exponent) == '+' || value.charAt(exponent) == '-')) {
        exponent++;
      }
      i = digitsEnd(value, exponent);
      if (i == exponent) {
        return YamlNode.STR;
      }
    }
    return i == value.length() ? YamlNode.FLOAT : YamlNode.STR;
  }

  /** Where the integer part {@code -?(0|[1-9][0-9]*)} that {@code value} starts with ends, or -1. */
  private static int integerEnd(String value) {
    int start = value.startsWith("-") ? 1 : 0;
    if (start == value.length() || !isDigit(value.charAt(start))) {
      return -1;
    }
    return value.charAt(start) == '0' ? start + 1 : digitsEnd(value, start);
  }

  private static int digitsEnd(String value, int from) {
    int i = from;
    while (i < value.length() && isDigit(value.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private boolean at(char c) {
    return pos < lineEnds[line] && text[pos] == c;
  }

  /** At the end of the line's content: its end or a comment. */
  private boolean atLineEnd() {
    return pos == lineEnds[line] || text[pos] == '#';
  }

  private void skipSpaces() {
    while (at(' ')) {
      pos++;
    }
  }
}
