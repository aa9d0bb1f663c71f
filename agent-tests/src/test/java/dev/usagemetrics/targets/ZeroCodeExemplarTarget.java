package dev.usagemetrics.targets;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An application without any OpenTelemetry class that runs the {@link ExemplarWorkload} on a
 * thread pool: each call meant for a span is handed over by {@link Workload#handOff}, which the
 * OpenTelemetry Java agent wraps in a span ({@code otel.instrumentation.methods.include}) and whose
 * context its executor instrumentation carries to the pool thread; the others are submitted
 * directly. Prints {@code CALL outcome=success|error nanos=<its body's duration> span=handOff|-}
 * per call, in order (the spans' ids are only in the OpenTelemetry agent's log), then {@code DONE}.
 */
public final class ZeroCodeExemplarTarget {

  private ZeroCodeExemplarTarget() {}

  /** Hands persist calls to the pool. */
  public static final class Workload {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ExemplarWorkload.Store store = new ExemplarWorkload.Store();

    /** The method the OpenTelemetry agent opens a span around. */
    public String handOff(long millis, boolean fail) throws Exception {
      return submit(millis, fail);
    }

    String submit(long millis, boolean fail) throws Exception {
      return pool.submit(() -> ExemplarWorkload.call(store, millis, fail)).get();
    }
  }

  public static void main(String[] args) throws Exception {
    Workload workload = new Workload();
    for (Object[] call : ExemplarWorkload.PLAN) {
      long millis = ExemplarWorkload.millis(call);
      boolean fail = ExemplarWorkload.fails(call);
      if (ExemplarWorkload.inSpan(call)) {
        System.out.println("CALL " + workload.handOff(millis, fail) + " span=handOff");
      } else {
        System.out.println("CALL " + workload.submit(millis, fail) + " span=-");
      }
    }
    workload.pool.shutdown();
    System.out.println("DONE");
  }
}
