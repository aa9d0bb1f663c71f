package dev.usagemetrics.testkit;

import io.opentelemetry.proto.metrics.v1.Exemplar;
import java.util.HexFormat;

/**
 * One exemplar as it arrived: the measured value (a double, or an int as sent), when, and the
 * span it links to, its ids as lowercase hex ("" when absent).
 */
public record ReceivedExemplar(double value, long timeUnixNano, String traceId, String spanId) {

  static ReceivedExemplar of(Exemplar exemplar) {
    double value = exemplar.getValueCase() == Exemplar.ValueCase.AS_INT
        ? exemplar.getAsInt()
        : exemplar.getAsDouble();
    return new ReceivedExemplar(
        value,
        exemplar.getTimeUnixNano(),
        HexFormat.of().formatHex(exemplar.getTraceId().toByteArray()),
        HexFormat.of().formatHex(exemplar.getSpanId().toByteArray()));
  }
}
