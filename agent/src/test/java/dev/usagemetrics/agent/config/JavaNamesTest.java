package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link JavaNames} decides exactly as the regular expressions it replaced. */
class JavaNamesTest {

  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
  private static final Pattern METHOD_NAME = Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*");

  @Test
  void decidesAsTheRegularExpressions() {
    List<String> samples = new ArrayList<>(List.of(
        "",
        "a",
        "persist",
        "persist2",
        "2persist",
        "_",
        "$",
        "$1",
        "com.acme.Outer$Inner",
        "com.acme.Outer$1",
        "com.acme.1Outer",
        ".com.acme",
        "com.acme.",
        "com..acme",
        "com.acme.Repo#save",
        "save(String)",
        "com.acme Repo",
        " save",
        "save ",
        "ünïcödé.Klasse",
        "日本.クラス",
        "x١٢٣",
        "١x",
        "xⅫ",
        "Ⅻx",
        "x½",
        "x-y",
        "x\u200Dy",
        "x\u0301",
        "\uD835\uDC00bc",
        "a\uD835\uDFCE",
        "a\uD800",
        "\uDC00a"));
    for (int codePoint = 0; codePoint < 0x3000; codePoint++) {
      String character = new String(Character.toChars(codePoint));
      samples.add(character);
      samples.add("a" + character);
      samples.add("a." + character);
    }
    for (String sample : samples) {
      assertEquals(
          CLASS_NAME.matcher(sample).matches(), JavaNames.isClassName(sample), "class " + sample);
      assertEquals(
          METHOD_NAME.matcher(sample).matches(),
          JavaNames.isMethodName(sample),
          "method " + sample);
    }
  }
}
