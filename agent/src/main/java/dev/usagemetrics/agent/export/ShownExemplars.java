package dev.usagemetrics.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exemplar a scrape shows per series and bucket: the newest collected, else the one shown
 * before. Exemplars are kept per collection interval, and a scrape between two slow calls (or
 * after another reader's collection) would otherwise show none; Prometheus stores an exemplar it
 * has seen once only once. Bounded by the series and buckets the agent produces.
 */
final class ShownExemplars {

  private final Map<List<Object>, ExemplarData> shown = new ConcurrentHashMap<>();

  /** For bucket {@code slot} of the series {@code name}, {@code attributes}: {@code fresh}, else the last shown. */
  ExemplarData forSlot(String name, Attributes attributes, int slot, ExemplarData fresh) {
    List<Object> key = List.of(name, attributes, slot);
    if (fresh != null) {
      shown.put(key, fresh);
      return fresh;
    }
    return shown.get(key);
  }
}
