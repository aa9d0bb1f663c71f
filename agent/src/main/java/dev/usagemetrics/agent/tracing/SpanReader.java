package dev.usagemetrics.agent.tracing;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the current span of one copy of the OpenTelemetry API through method handles, so the
 * agent needs no compile-time view of it (the application's API, or the OpenTelemetry Java
 * agent's shaded copy in the bootstrap loader, are different classes from the agent's own).
 */
final class SpanReader {

  /** For a caller whose class loader sees no OpenTelemetry API that is in use. */
  static final SpanReader NONE = new SpanReader(null, null, null, null, null);

  private final MethodHandle currentSpanContext;
  private final MethodHandle isValid;
  private final MethodHandle isSampled;
  private final MethodHandle traceId;
  private final MethodHandle spanId;

  private SpanReader(
      MethodHandle currentSpanContext,
      MethodHandle isValid,
      MethodHandle isSampled,
      MethodHandle traceId,
      MethodHandle spanId) {
    this.currentSpanContext = currentSpanContext;
    this.isValid = isValid;
    this.isSampled = isSampled;
    this.traceId = traceId;
    this.spanId = spanId;
  }

  /**
   * A reader calling {@code currentSpan} (a public static method without parameters returning the
   * API's {@code Span}) and the public {@code SpanContext} accessors of that API copy.
   */
  static SpanReader of(Class<?> owner, String currentSpan) throws ReflectiveOperationException {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    Class<?> spanType = owner.getMethod(currentSpan).getReturnType();
    Class<?> contextType = spanType.getMethod("getSpanContext").getReturnType();
    MethodHandle current = lookup.findStatic(owner, currentSpan, MethodType.methodType(spanType));
    MethodHandle context =
        lookup.findVirtual(spanType, "getSpanContext", MethodType.methodType(contextType));
    return new SpanReader(
        MethodHandles.filterReturnValue(current, context)
            .asType(MethodType.methodType(Object.class)),
        accessor(lookup, contextType, "isValid", boolean.class),
        accessor(lookup, contextType, "isSampled", boolean.class),
        accessor(lookup, contextType, "getTraceId", String.class),
        accessor(lookup, contextType, "getSpanId", String.class));
  }

  private static MethodHandle accessor(
      MethodHandles.Lookup lookup, Class<?> type, String name, Class<?> returned)
      throws ReflectiveOperationException {
    return lookup
        .findVirtual(type, name, MethodType.methodType(returned))
        .asType(MethodType.methodType(returned, Object.class));
  }

  /** The current span's ids when it is valid and sampled, else null. */
  SpanIds current() throws Throwable {
    if (currentSpanContext == null) {
      return null;
    }
    Object context = (Object) currentSpanContext.invokeExact();
    if (!(boolean) isValid.invokeExact(context) || !(boolean) isSampled.invokeExact(context)) {
      return null;
    }
    return new SpanIds((String) traceId.invokeExact(context), (String) spanId.invokeExact(context));
  }
}
