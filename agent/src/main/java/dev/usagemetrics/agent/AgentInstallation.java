package dev.usagemetrics.agent;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.QueueTarget;
import dev.usagemetrics.agent.export.MetricsExport;
import dev.usagemetrics.agent.identity.AgentIdentity;
import dev.usagemetrics.agent.identity.AgentThreads;
import dev.usagemetrics.agent.log.AgentLog;
import dev.usagemetrics.agent.matching.ConfiguredTypeFilter;
import dev.usagemetrics.agent.metrics.UsageMetricsRecorder;
import dev.usagemetrics.agent.settling.StartSettling;
import dev.usagemetrics.agent.tracing.CurrentSpans;
import dev.usagemetrics.agent.weaving.InstrumentationInstaller;
import dev.usagemetrics.agent.weaving.TargetReport;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connects recorder, instrumentation and export once the bridge is in the bootstrap loader.
 *
 * <p>Only what must precede the application's class loading runs on the calling thread: the
 * recorder and the transformer. The OpenTelemetry SDK starts on a daemon thread once the
 * application's start has settled ({@link StartSettling}) or the JVM exits, whichever comes first;
 * measurements made meanwhile are kept by the recorder, which needs no SDK: none is lost.
 */
final class AgentInstallation {

  private AgentInstallation() {}

  static void install(AgentConfig config, Instrumentation instrumentation, boolean attached) {
    if (!UsageMetricsBridge.claimInstallation()) {
      throw new AlreadyInstalledException();
    }
    // A loop, not a stream: a stream's pipeline and lambdas are classes premain would load for it.
    List<String> queueClasses = new ArrayList<>();
    for (QueueTarget target : config.queueTargets()) {
      queueClasses.add(target.className());
    }
    UsageMetricsRecorder recorder = new UsageMetricsRecorder(
        new ErrorClassifier(config.errorRules(), config.defaultErrorType()),
        new ConfiguredTypeFilter(queueClasses),
        config.export().exemplars() ? CurrentSpans.watch(instrumentation) : null);
    recorder.warmUp();
    UsageMetricsBridge.connect(recorder);
    TargetReport report = new TargetReport(config);
    StartSettling settling = StartSettling.watch(instrumentation);
    InstrumentationInstaller.install(instrumentation, config, report, attached);
    // The SDK's thread waits for the application's start to settle (docs/internals.md). A
    // FutureTask, not CompletableFuture.supplyAsync, which loads about 20 more JDK classes on the
    // main thread.
    FutureTask<MetricsExport> export =
        new FutureTask<>(new ExportStart(config, recorder, settling));
    AgentThreads.newThread("start", export).start();
    System.setProperty(AgentIdentity.INSTALLED_PROPERTY, AgentIdentity.version());
    AgentThreads.newThread(
            "delayed", new UnmatchedTargetWarning(report, config.unmatchedTargetWarningDelay()))
        .start();
    Runtime.getRuntime()
        .addShutdownHook(AgentThreads.newThread(
            "shutdown", new OnExit(export, settling, report, config.export().shutdownTimeout())));
    AgentLog.debug((attached ? "attached" : "started") + " with " + config.source());
  }

  // The parts below are classes, not lambdas: premain (docs/internals.md, "Premain's path").

  /**
   * Starts the export once the application's start has settled; its result is the export, or null
   * when it could not start (said so).
   */
  private static final class ExportStart implements Callable<MetricsExport> {
    private final AgentConfig config;
    private final UsageMetricsRecorder recorder;
    private final StartSettling settling;

    ExportStart(AgentConfig config, UsageMetricsRecorder recorder, StartSettling settling) {
      this.config = config;
      this.recorder = recorder;
      this.settling = settling;
    }

    @Override
    public MetricsExport call() {
      try {
        settling.awaitSettled(
            StartSettling.longestWait(MetricsExport.exportInterval(config.export())));
      } catch (InterruptedException startNow) {
        // An interrupt ends the wait, nothing more.
      }
      MetricsExport.loadClassesAhead(config.export());
      if (config.export().exemplars()) {
        CurrentSpans.warmUp();
      }
      try {
        MetricsExport export = MetricsExport.start(config.export(), recorder.metricProducer());
        AgentLog.info("usage-metrics-agent " + AgentIdentity.version() + " active: persist "
            + config.persistTargets() + ", queue " + config.queueTargets() + "; "
            + export.destination()
            + "; config " + config.source());
        return export;
      } catch (Throwable e) {
        AgentLog.error(
            "metrics export could not start, nothing will be exported (the application is unaffected): "
                + e);
        return null;
      }
    }
  }

  /**
   * Waits {@code log.unmatched_target_warning_delay}, then warns of the configured classes not
   * loaded by then.
   */
  private static final class UnmatchedTargetWarning implements Runnable {
    private final TargetReport report;
    private final Duration delay;

    UnmatchedTargetWarning(TargetReport report, Duration delay) {
      this.report = report;
      this.delay = delay;
    }

    @Override
    public void run() {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
        return;
      }
      report.reportUnloaded("within " + delay.toSeconds() + " s of startup");
    }
  }

  /**
   * At JVM exit: starts the export if it still waits for the start to settle, warns of configured
   * classes never loaded, then exports the last values.
   */
  private static final class OnExit implements Runnable {
    private final Future<MetricsExport> export;
    private final StartSettling settling;
    private final TargetReport report;
    private final Duration shutdownTimeout;

    OnExit(
        Future<MetricsExport> export,
        StartSettling settling,
        TargetReport report,
        Duration shutdownTimeout) {
      this.export = export;
      this.settling = settling;
      this.report = report;
      this.shutdownTimeout = shutdownTimeout;
    }

    @Override
    public void run() {
      settling.stopWaiting();
      report.reportUnloaded("before the JVM exited");
      exportLastValues(export, shutdownTimeout);
    }
  }

  /**
   * Exports the final values on JVM exit, within {@code timeout} in all: a stalled collector cannot
   * hold the exit, an unreachable one does not hold it at all. When they are not delivered, says so
   * and why in one line.
   */
  private static void exportLastValues(Future<MetricsExport> pending, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String notDelivered;
    try {
      MetricsExport export = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      notDelivered = export == null
          ? null
          : export.shutdown(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    } catch (TimeoutException e) {
      notDelivered = "the export had not started within export.shutdown_timeout ("
          + timeout.toMillis() + " ms)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notDelivered = "the JVM's exit interrupted the export";
    } catch (ExecutionException e) {
      notDelivered = "the export could not start: " + e.getCause();
    }
    if (notDelivered != null) {
      AgentLog.warn("the last metrics were not delivered at JVM exit: " + notDelivered);
    }
  }

  /** A second installation into the same JVM; refused so that nothing is counted twice. */
  static final class AlreadyInstalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    AlreadyInstalledException() {
      super(
          AgentLog.PREFIX
              + "already installed in this JVM; this installation was refused so nothing is counted twice");
    }
  }
}
