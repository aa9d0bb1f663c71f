package dev.usagemetrics.agenttests;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a tool it runs is not installed (Prometheus, PostgreSQL): it is skipped, with
 * one loud line per tool for the whole run saying how to install it; unless the environment says
 * {@code CI=true} (as {@code .ci/run} does after installing them): then it fails, so CI never skips
 * a test unnoticed.
 */
final class MissingTool {

  private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private MissingTool() {}

  /**
   * Skips the calling test, or fails it under {@code CI=true}; never returns.
   *
   * @param tests the tests that need the tool, as the skip line names them
   * @param missing what is missing, where it was looked for and how to install it
   */
  static <T> T skipOrFail(String tests, String missing) {
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(missing + ". CI=true: " + tests
          + " must run, not be skipped; .ci/run installs what they need.");
    }
    if (ANNOUNCED.add(tests)) {
      System.err.println(
          "\n*** SKIPPED: " + tests + ". " + missing + ". CI=true makes this a failure. ***\n");
    }
    return Assumptions.abort(missing);
  }
}
