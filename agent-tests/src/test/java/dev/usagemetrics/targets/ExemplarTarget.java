package dev.usagemetrics.targets;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.sql.SQLTimeoutException;
import java.util.Collection;

/**
 * An application that traces with the OpenTelemetry API and persists, some calls slow, some
 * failing, some inside a span of their own and some outside any. Prints one line per call:
 * {@code CALL outcome=success|error nanos=<its body's duration> trace=<id> span=<id>}
 * (ids "-" outside a span), then {@code DONE}.
 *
 * <p>Argument: {@code sdk} (its own SDK's tracer, sampling everything), {@code global} (the
 * global tracer, which the OpenTelemetry Java agent provides), {@code none} (its SDK's tracer is
 * built, so the API is in use, but no span is ever current).
 */
public final class ExemplarTarget {

  /** Configured persist target, method [persist]. */
  public static class Store {
    /** How long the last call's body took: the agent's timing of the call encloses it. */
    long lastBodyNanos;

    public void persist(long sleepMillis, boolean fail) throws SQLTimeoutException, InterruptedException {
      long start = System.nanoTime();
      Thread.sleep(sleepMillis);
      lastBodyNanos = System.nanoTime() - start;
      if (fail) {
        throw new SQLTimeoutException("statement timeout", "57014");
      }
    }
  }

  /** Milliseconds, whether it fails, whether it runs in a span: slowest and latest differ from first and fastest. */
  private static final Object[][] PLAN = {
    {12, false, true}, {35, false, true}, {15, false, true},
    {120, false, true}, {400, false, true}, {150, false, true},
    {450, false, false}, {30, false, false},
    {2, true, true}, {3, true, true}, {60, true, true},
    {4, true, false}, {70, true, false},
  };

  private ExemplarTarget() {}

  /** Where a real application would send its spans. */
  private static final class DiscardingSpanExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Tracer tracer = switch (mode) {
      // A span processor, as any real setup has: without one the SDK's spans are invalid.
      case "sdk", "none" -> SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
          .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingSpanExporter())).build().get("exemplar-target");
      case "global" -> GlobalOpenTelemetry.getTracer("exemplar-target");
      default -> throw new IllegalArgumentException(mode);
    };
    Store store = new Store();
    for (Object[] call : PLAN) {
      long millis = ((Number) call[0]).longValue();
      boolean fail = (Boolean) call[1];
      boolean inSpan = (Boolean) call[2] && !mode.equals("none");
      if (!inSpan) {
        report(store, millis, fail, "-", "-");
        continue;
      }
      Span span = tracer.spanBuilder("persist-usage").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        report(store, millis, fail, span.getSpanContext().getTraceId(), span.getSpanContext().getSpanId());
      } finally {
        span.end();
      }
    }
    System.out.println("DONE");
  }

  private static void report(Store store, long millis, boolean fail, String traceId, String spanId)
      throws InterruptedException {
    String outcome = "success";
    try {
      store.persist(millis, fail);
    } catch (SQLTimeoutException expected) {
      outcome = "error";
    }
    System.out.println("CALL outcome=" + outcome + " nanos=" + store.lastBodyNanos + " trace=" + traceId + " span=" + spanId);
  }
}
