package dev.usagemetrics.agent.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;

/** Spans for tests, made current through the OpenTelemetry API on the test class path (no SDK needed). */
public final class TracingFixtures {

  private TracingFixtures() {}

  /** Lookups as they are once the JVM has defined the API's {@code Span} in the test class path's loader. */
  public static CurrentSpans apiInUse() {
    CurrentSpans spans = new CurrentSpans();
    spans.apiDefined(Span.class.getClassLoader());
    return spans;
  }

  /** Makes a span with these ids current until the scope closes; ids are hex (32 and 16 digits). */
  public static Scope spanCurrent(String traceId, String spanId, boolean sampled) {
    SpanContext context = SpanContext.create(
        traceId,
        spanId,
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
    return Span.wrap(context).makeCurrent();
  }

  /** A valid trace id made from {@code n}. */
  public static String traceId(int n) {
    return String.format("%032x", 0x1000 + n);
  }

  /** A valid span id made from {@code n}. */
  public static String spanId(int n) {
    return String.format("%016x", 0x100 + n);
  }
}
