package dev.usagemetrics.testkit;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One export request as it reached an {@link OtlpReceiver}, whatever the receiver answered.
 *
 * @param sequence arrival order across all receivers in this JVM
 * @param headers request headers (gRPC metadata), names lower-cased
 * @param disposition what the receiver did with it; only accepted requests count as delivered
 */
public record ReceivedRequest(
    long sequence,
    Instant receivedAt,
    Protocol protocol,
    Map<String, List<String>> headers,
    ExportMetricsServiceRequest body,
    Disposition disposition) {

  /** What the receiver answered. */
  public enum Disposition {
    ACCEPTED,
    REFUSED,
    STALLED
  }

  public ReceivedRequest {
    Map<String, List<String>> lowerCased = new LinkedHashMap<>();
    headers.forEach((name, values) -> lowerCased
        .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
        .addAll(values));
    lowerCased.replaceAll((name, values) -> List.copyOf(values));
    headers = Map.copyOf(lowerCased);
  }

  /** All values of a header (case-insensitive name); empty if absent. */
  public List<String> header(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  public boolean accepted() {
    return disposition == Disposition.ACCEPTED;
  }
}
