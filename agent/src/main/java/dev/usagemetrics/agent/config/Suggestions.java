package dev.usagemetrics.agent.config;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/** "Did you mean" hints for misspelt keys, values and (in the installer's warnings) method names. */
public final class Suggestions {

  private Suggestions() {}

  /** {@code " (did you mean 'x'?)"} for the closest candidate within a small edit distance, else the candidates. */
  static String didYouMean(String typed, Collection<String> candidates) {
    String closest = closest(typed, candidates);
    return closest != null
        ? " (did you mean '" + closest + "'?)"
        : "; expected one of " + new TreeSet<>(candidates);
  }

  /**
   * The candidate {@code typed} most likely misspells: one it is the start of, else the nearest
   * within a small edit distance (case-insensitive); null when none is close.
   */
  public static String closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String lowerTyped = typed.toLowerCase(Locale.ROOT);
    for (String candidate : candidates) {
      String lowerCandidate = candidate.toLowerCase(Locale.ROOT);
      if (lowerCandidate.startsWith(lowerTyped)) {
        return candidate;
      }
      int distance = editDistance(lowerTyped, lowerCandidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int tolerance = Math.max(2, typed.length() / 3);
    return bestDistance <= tolerance ? best : null;
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
