package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationParserTest {

  @Test
  void parsesEachUnit() {
    assertEquals(Duration.ofMillis(500), DurationParser.parse("500ms"));
    assertEquals(Duration.ofSeconds(10), DurationParser.parse("10s"));
    assertEquals(Duration.ofMinutes(2), DurationParser.parse("2m"));
    assertEquals(Duration.ofHours(1), DurationParser.parse("1h"));
  }

  @Test
  void allowsSpacesAroundAndBetweenNumberAndUnit() {
    assertEquals(Duration.ofSeconds(10), DurationParser.parse("  10 s "));
  }

  @Test
  void zeroParsesAsZeroSoTheCallerCanRejectIt() {
    assertEquals(Duration.ZERO, DurationParser.parse("0s"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"10", "ten seconds", "s", "", "-5s", "1.5s", "10 sec", "10S", "5d", "10s10ms"})
  void textThatIsNotADurationIsNull(String text) {
    assertNull(DurationParser.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "99999999999999999999s",
        "9999999999999999h",
        "9223372036854775807m",
        "9223372036854775807s"
      })
  void durationsTooLargeToUseAreNullNotAnException(String text) {
    assertNull(DurationParser.parse(text));
  }

  /** The parser reads exactly what the regular expression it replaced matched. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1ms",
        "1 ms",
        "1\tms",
        "1\u000Bs",
        "1\fm",
        "1\r\nh",
        "1\u0001s",
        "1\u00A0s",
        "1\u2003s",
        "01s",
        "1 m s",
        "1sm",
        "1mss",
        "ms",
        "1",
        " 7h ",
        "1\u0660s",
        "\u0661s",
        "+1s",
        "1_000ms",
        "1,5s"
      })
  void readsWhatTheRegularExpressionMatched(String text) {
    Matcher matcher = Pattern.compile("(\\d+)\\s*(ms|s|m|h)").matcher(text.trim());
    assertEquals(matcher.matches(), DurationParser.parse(text) != null, text);
  }
}
