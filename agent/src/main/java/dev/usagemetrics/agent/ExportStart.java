package dev.usagemetrics.agent;

import dev.usagemetrics.agent.export.MetricsExport;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Starts the OpenTelemetry SDK and its exporter once, out of the application's way: when the
 * application's own start has settled (the JVM has loaded few classes for a while), when the first
 * export is due at the latest, or at once when asked (JVM exit, runtime attach). The SDK's start is
 * about half a CPU second of class loading and initialisation; on a machine with few cores it
 * would otherwise compete with the application's start. Until it has started the recorder keeps
 * every measurement (it needs no SDK), so nothing is lost.
 */
final class ExportStart {

  /** How often class loading is sampled while waiting for the start to settle. */
  private static final long SAMPLE_MILLIS = 100;
  /** Settled: fewer than this many classes loaded over the last {@link #QUIET_SAMPLES} samples. */
  private static final long QUIET_CLASSES = 20;
  private static final int QUIET_SAMPLES = 5;

  private final Supplier<MetricsExport> starter;
  private final CompletableFuture<MetricsExport> started = new CompletableFuture<>();
  private final AtomicBoolean begun = new AtomicBoolean();

  /** {@code starter}: starts the export; null when it could not start (it reports why). */
  ExportStart(Supplier<MetricsExport> starter) {
    this.starter = starter;
  }

  /** The started export (null if it could not start), once it has started. */
  CompletableFuture<MetricsExport> started() {
    return started;
  }

  /** Starts the export now, on a thread of its own, unless it has begun. */
  void now() {
    if (begun.compareAndSet(false, true)) {
      AgentThreads.newThread("start", () -> started.complete(starter.get())).start();
    }
  }

  /** Starts the export once class loading has settled, or after {@code latest}, or at {@link #now()}. */
  void whenSettled(Duration latest) {
    AgentThreads.newThread("start-watch", () -> {
      try {
        awaitSettled(latest.toMillis());
        now();
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
      }
    }).start();
  }

  private void awaitSettled(long latestMillis) throws InterruptedException {
    ClassLoadingMXBean classLoading = ManagementFactory.getClassLoadingMXBean();
    long[] loaded = new long[QUIET_SAMPLES];
    int samples = 0;
    for (long waited = 0; waited < latestMillis && !begun.get(); waited += SAMPLE_MILLIS) {
      Thread.sleep(SAMPLE_MILLIS);
      long total = classLoading.getTotalLoadedClassCount();
      long oldest = loaded[samples % QUIET_SAMPLES];
      loaded[samples % QUIET_SAMPLES] = total;
      samples++;
      if (samples > QUIET_SAMPLES && total - oldest < QUIET_CLASSES) {
        return;
      }
    }
  }
}
