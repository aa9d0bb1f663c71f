package dev.usagemetrics.agent.tracing;

import static dev.usagemetrics.agent.tracing.TracingFixtures.spanCurrent;
import static dev.usagemetrics.agent.tracing.TracingFixtures.spanId;
import static dev.usagemetrics.agent.tracing.TracingFixtures.traceId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

class CurrentSpansTest {

  @Test
  void readsTheSampledSpanCurrentThroughTheCallersApi() {
    CurrentSpans spans = TracingFixtures.apiInUse();
    try (Scope ignored = spanCurrent(traceId(1), spanId(1), true)) {
      SpanIds ids = spans.current(CurrentSpansTest.class);
      assertEquals(traceId(1), ids.traceId());
      assertEquals(spanId(1), ids.spanId());
    }
  }

  @Test
  void noSpanAnUnsampledSpanOrNoCallerGiveNothing() {
    CurrentSpans spans = TracingFixtures.apiInUse();
    assertNull(spans.current(CurrentSpansTest.class));
    try (Scope ignored = spanCurrent(traceId(2), spanId(2), false)) {
      assertNull(spans.current(CurrentSpansTest.class));
    }
    try (Scope ignored = spanCurrent(traceId(3), spanId(3), true)) {
      assertNull(spans.current(null));
    }
  }

  @Test
  void nothingIsLookedUpBeforeTheJvmDefinedTheApi() {
    CurrentSpans spans = new CurrentSpans();
    assertFalse(spans.tracingSeen());
    try (Scope ignored = spanCurrent(traceId(4), spanId(4), true)) {
      assertNull(spans.current(CurrentSpansTest.class));
    }
  }

  @Test
  void aCallerResolvedBeforeTheApiWasDefinedIsResolvedAgainAfterwards() {
    CurrentSpans spans = new CurrentSpans();
    // Some tracing (another loader's API) is seen first: this caller's loader has none yet.
    spans.apiDefined(new ClassLoader(null) {});
    try (Scope ignored = spanCurrent(traceId(5), spanId(5), true)) {
      assertTrue(spans.tracingSeen());
      assertNull(spans.current(CurrentSpansTest.class));
      spans.apiDefined(Span.class.getClassLoader());
      assertEquals(traceId(5), spans.current(CurrentSpansTest.class).traceId());
    }
  }

  @Test
  void aCallerWhoseLoaderSeesNoApiGetsNothing() {
    CurrentSpans spans = TracingFixtures.apiInUse();
    try (Scope ignored = spanCurrent(traceId(6), spanId(6), true)) {
      // String's loader (the bootstrap loader) is not where the API was defined.
      assertNull(spans.current(String.class));
    }
  }

  @Test
  void sightingsComeFromTheNamesOfDefinedClasses() {
    CurrentSpans spans = new CurrentSpans();
    TracingSightings sightings = new TracingSightings(spans);
    sightings.defined(Span.class.getClassLoader(), "io/opentelemetry/api/trace/SpanContext");
    sightings.defined(null, "java/lang/String");
    assertFalse(spans.tracingSeen());
    sightings.defined(Span.class.getClassLoader(), "io/opentelemetry/api/trace/Span");
    try (Scope ignored = spanCurrent(traceId(7), spanId(7), true)) {
      assertEquals(spanId(7), spans.current(CurrentSpansTest.class).spanId());
    }
  }
}
