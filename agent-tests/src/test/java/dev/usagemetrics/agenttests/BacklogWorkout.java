package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test side of the targets' {@code QueueWorkout} on a {@code Backlog} (a configured queue
 * that inherits everything from {@code ArrayBlockingQueue}): its configuration, and the check of
 * what the workout printed.
 */
final class BacklogWorkout {

  /** Every operation the workout performs alone, in order. */
  static final List<String> STEPS = List.of(
      "clear",
      "offer",
      "offer_timeout",
      "add",
      "put",
      "addAll",
      "rejected_offer",
      "rejected_offer_timeout",
      "rejected_add",
      "poll",
      "poll_timeout",
      "take",
      "remove",
      "remove_object",
      "absent_remove_object",
      "addAll_overflowing",
      "drainTo_max",
      "drainTo",
      "empty_poll",
      "empty_poll_timeout",
      "empty_remove",
      "empty_drainTo",
      "refill",
      "removeIf",
      "retainAll",
      "removeAll",
      "refill_again",
      "clear_nonempty",
      "final_fill");

  /** Steps that leave the size as it was (the first clear may find the backlog empty). */
  private static final Set<String> UNCHANGING_STEPS = Set.of(
      "clear",
      "rejected_offer",
      "rejected_offer_timeout",
      "rejected_add",
      "absent_remove_object",
      "empty_poll",
      "empty_poll_timeout",
      "empty_remove",
      "empty_drainTo");

  private BacklogWorkout() {}

  /** The queue section for the Backlog, naming every method by which elements enter or leave. */
  static String[] queueConfig() {
    return new String[] {
      "queue:",
      "  targets:",
      "    - class: dev.usagemetrics.targets.Backlog",
      "      enqueue: [offer, add, put, addAll]",
      "      dequeue: [poll, take, remove, drainTo, clear, removeIf, retainAll, removeAll]",
    };
  }

  /**
   * Asserts that the gauge the target read after the concurrent phase, after each single
   * operation and after using plain JDK queues equals {@code size() - uncounted} every time;
   * returns the value the receiver must show at the end.
   */
  static long assertGaugeFollowedSize(String stdout) {
    Map<String, Long> concurrent = AgentHarness.reportLine(stdout, "CONCURRENT");
    long uncounted = concurrent.get("uncounted");
    assertTrue(
        concurrent.get("rejected") > 0, "the bounded backlog rejected offers: " + concurrent);
    assertTrue(
        concurrent.get("empty_polls") > 0, "consumers found the backlog empty: " + concurrent);
    assertEquals(
        concurrent.get("size"),
        concurrent.get("initial") + concurrent.get("accepted") - concurrent.get("taken"),
        "the target's own bookkeeping: " + concurrent);
    assertEquals(8L, concurrent.get("size"), "the phase ends with the backlog full: " + concurrent);
    assertEquals(
        concurrent.get("size") - uncounted,
        concurrent.get("gauge"),
        "after 4 producers and 4 consumers: " + concurrent);

    Map<String, Map<String, Long>> steps = AgentHarness.reportLinesByName(stdout, "STEP");
    assertEquals(STEPS, List.copyOf(steps.keySet()));
    steps.forEach((operation, step) -> {
      assertEquals(
          step.get("size") - uncounted,
          step.get("gauge"),
          "gauge after " + operation + ": " + step);
      if (!UNCHANGING_STEPS.contains(operation)) {
        assertNotEquals(
            0L, step.get("change"), operation + " changed nothing, so it proves nothing");
      }
    });

    Map<String, Long> plain = AgentHarness.reportLine(stdout, "PLAIN");
    assertTrue(plain.get("elements") > 0, "plain JDK queues were left holding elements: " + plain);
    assertEquals(
        plain.get("size") - uncounted,
        plain.get("gauge"),
        "plain JDK queues are not counted: " + plain);
    return plain.get("size") - uncounted;
  }
}
