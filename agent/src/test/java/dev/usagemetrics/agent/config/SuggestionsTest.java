package dev.usagemetrics.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  private static final List<String> TOP_KEYS =
      List.of("strict", "log", "persist", "queue", "errors", "export");

  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertEquals(0, Suggestions.editDistance("persist", "persist"));
    assertEquals(1, Suggestions.editDistance("persit", "persist"));
    assertEquals(1, Suggestions.editDistance("persists", "persist"));
    assertEquals(1, Suggestions.editDistance("porsist", "persist"));
    assertEquals(3, Suggestions.editDistance("kitten", "sitting"));
    assertEquals(3, Suggestions.editDistance("", "abc"));
    assertEquals(3, Suggestions.editDistance("abc", ""));
    assertEquals(2, Suggestions.editDistance("grcp", "grpc"));
  }

  @Test
  void closeTypoGetsDidYouMean() {
    assertEquals(" (did you mean 'persist'?)", Suggestions.didYouMean("persit", TOP_KEYS));
    assertEquals(
        " (did you mean 'targets'?)", Suggestions.didYouMean("targts", List.of("targets")));
  }

  @Test
  void comparisonIgnoresCaseButSuggestsTheCandidateAsWritten() {
    assertEquals(" (did you mean 'export'?)", Suggestions.didYouMean("EXPORT", TOP_KEYS));
  }

  @Test
  void closestCandidateWins() {
    assertEquals(" (did you mean 'queue'?)", Suggestions.didYouMean("queu", TOP_KEYS));
  }

  @Test
  void farOffWordListsTheExpectedValuesInstead() {
    String hint = Suggestions.didYouMean("zzzzzzzz", List.of("grpc", "http/protobuf"));
    assertEquals("; expected one of [grpc, http/protobuf]", hint);
  }

  @Test
  void toleranceGrowsWithWordLength() {
    // 9 letters: up to 3 edits are still a typo.
    assertEquals(
        " (did you mean 'validation'?)",
        Suggestions.didYouMean("valdatoin", List.of("validation", "timeout")));
    // 4 letters: 3 edits are too many.
    assertTrue(Suggestions.didYouMean("abcd", List.of("abxyz")).startsWith("; expected one of"));
  }

  @Test
  void closestIsTheLikelyIntendedNameOrNullWhenNothingIsClose() {
    List<String> methods = List.of("persist", "persistAsync", "toString");
    assertEquals("persist", Suggestions.closest("persit", methods));
    assertEquals("persistAsync", Suggestions.closest("persistAsnyc", methods));
    assertNull(Suggestions.closest("delete", methods));
  }
}
