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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * An application that traces with the OpenTelemetry API and runs the {@link ExemplarWorkload},
 * each call meant for a span in a span of its own. Prints one line per call:
 * {@code CALL outcome=success|error nanos=<its body's duration> trace=<id> span=<id>} (ids "-"
 * outside a span), then {@code DONE}; with a second argument {@code wait}, it then waits for a
 * line on its input before it exits.
 *
 * <p>Argument: {@code sdk} (its own SDK's tracer, sampling everything), {@code global} (the
 * global tracer, which the OpenTelemetry Java agent provides), {@code none} (its SDK's tracer is
 * built, so the API is in use, but no span is ever current).
 */
public final class ExemplarTarget {

  private ExemplarTarget() {}

  /** Where a real application would send its spans (without a processor the SDK's spans are invalid). */
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
      case "sdk", "none" ->
        SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOn())
            .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingSpanExporter()))
            .build()
            .get("exemplar-target");
      case "global" -> GlobalOpenTelemetry.getTracer("exemplar-target");
      default -> throw new IllegalArgumentException(mode);
    };
    ExemplarWorkload.Store store = new ExemplarWorkload.Store();
    for (Object[] call : ExemplarWorkload.PLAN) {
      long millis = ExemplarWorkload.millis(call);
      boolean fail = ExemplarWorkload.fails(call);
      if (!ExemplarWorkload.inSpan(call) || mode.equals("none")) {
        System.out.println(
            "CALL " + ExemplarWorkload.call(store, millis, fail) + " trace=- span=-");
        continue;
      }
      Span span = tracer.spanBuilder("persist-usage").startSpan();
      try (Scope ignored = span.makeCurrent()) {
        String described = ExemplarWorkload.call(store, millis, fail);
        System.out.println(
            "CALL " + described + " trace=" + span.getSpanContext().getTraceId() + " span="
                + span.getSpanContext().getSpanId());
      } finally {
        span.end();
      }
    }
    System.out.println("DONE");
    if (args.length > 1 && args[1].equals("wait")) {
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
