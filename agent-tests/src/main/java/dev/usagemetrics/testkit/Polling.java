package dev.usagemetrics.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition by polling: what arrives from another process has no event to wait on. */
public final class Polling {

  private static final long INTERVAL_MILLIS = 50;

  private Polling() {}

  /**
   * Returns once {@code condition} holds; throws an {@link AssertionError} with {@code
   * failureMessage} if it still does not after {@code timeout}.
   */
  public static void await(
      Duration timeout, BooleanSupplier condition, Supplier<String> failureMessage) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError("Timed out after " + timeout + ": " + failureMessage.get());
      }
      try {
        Thread.sleep(INTERVAL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting: " + failureMessage.get(), e);
      }
    }
  }
}
