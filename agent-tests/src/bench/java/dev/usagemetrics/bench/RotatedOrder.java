package dev.usagemetrics.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of one round of interleaved runs: rotated by one from round to round, so that every
 * flavor runs in every position equally often. A fixed order was not fair here: a JVM started about
 * a second after the OpenTelemetry agent's JVM exited ran the hello world up to 80 ms slower (8
 * interleaved rounds, 2026-12-05: ours + 166 ms over the floor in that position, + 82 ms right
 * after the OpenTelemetry agent), and with a fixed order that position was always ours.
 */
final class RotatedOrder {

  private RotatedOrder() {}

  /** {@code entries} in the order of round {@code round} (negative rounds are warm-ups). */
  static <T> List<T> of(List<T> entries, int round) {
    List<T> order = new ArrayList<>(entries.size());
    for (int position = 0; position < entries.size(); position++) {
      order.add(entries.get(Math.floorMod(position + round, entries.size())));
    }
    return order;
  }
}
