package dev.usagemetrics.agent.config;

/**
 * Whether configured names can be Java class and method names: identifiers made of letters
 * (Unicode category L), digits and other numbers (N), {@code _} and {@code $}, not starting with a
 * number. Checked character by character: a regular expression with Unicode categories takes
 * milliseconds to compile in premain.
 */
final class JavaNames {

  private JavaNames() {}

  /** A fully qualified class name: identifiers joined by dots ({@code com.acme.Outer$Inner}). */
  static boolean isClassName(String text) {
    int start = 0;
    for (int dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', start)) {
      if (!isIdentifier(text, start, dot)) {
        return false;
      }
      start = dot + 1;
    }
    return isIdentifier(text, start, text.length());
  }

  /** A method name: one identifier. */
  static boolean isMethodName(String text) {
    return isIdentifier(text, 0, text.length());
  }

  private static boolean isIdentifier(String text, int start, int end) {
    if (start >= end) {
      return false;
    }
    for (int i = start; i < end; ) {
      int codePoint = text.codePointAt(i);
      if (!(Character.isLetter(codePoint)
          || codePoint == '_'
          || codePoint == '$'
          || (i > start && isNumber(codePoint)))) {
        return false;
      }
      i += Character.charCount(codePoint);
    }
    return true;
  }

  /** Unicode category N, as {@code \p{N}} in a regular expression. */
  private static boolean isNumber(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }
}
