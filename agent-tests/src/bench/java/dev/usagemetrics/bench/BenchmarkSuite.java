package dev.usagemetrics.bench;

import dev.usagemetrics.testkit.PostgresServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs every benchmark side by side (no agent, ours, the OpenTelemetry Java agent) and writes the
 * results table to {@code target/benchmarks.md}. Started by the {@code bench} Maven profile; see
 * agent-tests/pom.xml for the command.
 */
public final class BenchmarkSuite {

  private BenchmarkSuite() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    double loadAtStart = MarkdownReport.loadAverage();
    SuiteSettings settings = snapshotAgentJar(SuiteSettings.parse(args));
    try (OtlpHttpSink sink = OtlpHttpSink.start()) {
      Path config =
          AgentConfigFile.write(settings.workDir().resolve("bench-agent.yaml"), sink.endpoint());
      List<Flavor> flavors = List.of(
          Flavor.none(),
          Flavor.ours(settings.agentJar(), config),
          Flavor.otel(settings.otelAgentJar()));

      JmhRuns runs = new JmhRuns(settings.logDir());
      JmhResults jmh = runJmh(runs, flavors, sink);
      if (settings.virtualThreadsJava() != null) {
        runThreadKinds(runs, flavors.subList(0, 2), settings.virtualThreadsJava(), jmh, sink);
      }
      MeasuredJvm measuredJvm = new MeasuredJvm(settings.benchClasses(), settings.logDir());
      progress("startup, " + StartupTimer.RUNS + " interleaved runs per flavor");
      StartupTimer.Startup startup =
          new StartupTimer(measuredJvm, sink.endpoint() + "/v1/metrics").measure(flavors);
      progress("Spring Boot startup, " + SpringStartupTimer.RUNS + " interleaved runs per flavor");
      SpringStartupTimer.SpringStartup spring = null;
      String springNotMeasured = "";
      try {
        spring =
            new SpringStartupTimer(measuredJvm, settings.springClassPath(), sink).measure(settings);
      } catch (PostgresServer.NotInstalledException missing) {
        springNotMeasured = missing.getMessage();
        progress("*** NOT MEASURED: the Spring Boot startup. " + springNotMeasured + " ***");
      }
      progress("footprint, " + FootprintProbe.RUNS + " runs per flavor");
      Map<String, Footprint> footprints = new FootprintProbe(measuredJvm).measure(flavors);
      progress("exit with an unreachable collector, " + ExitDelayTimer.RUNS
          + " interleaved runs per collector");
      Map<String, Double> exitMillis = new ExitDelayTimer(
              measuredJvm, settings.agentJar(), settings.workDir())
          .measure(sink.endpoint());

      List<Row> rows = new ResultsTable(
              jmh,
              startup,
              spring,
              springNotMeasured,
              footprints,
              exitMillis,
              Files.size(settings.agentJar()),
              Files.size(settings.otelAgentJar()),
              settings.virtualThreadsJava() != null)
          .rows();
      long wallSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      String report = new MarkdownReport(settings, loadAtStart, measuredJvm.startedBusy())
          .render(rows, wallSeconds, sink.exports());
      Files.writeString(settings.report(), report, StandardCharsets.UTF_8);
      System.out.println();
      System.out.println(report);
      progress("written to " + settings.report());
    }
  }

  /**
   * Copies the agent jar into target/ and measures the copy: the module may be rebuilt while the
   * suite runs, and every measurement must be of one and the same jar.
   */
  private static SuiteSettings snapshotAgentJar(SuiteSettings settings) throws IOException {
    Path snapshot =
        settings.workDir().resolve("bench-agent").resolve(settings.agentJar().getFileName());
    Files.createDirectories(snapshot.getParent());
    Files.copy(settings.agentJar(), snapshot, StandardCopyOption.REPLACE_EXISTING);
    return settings.withAgentJar(snapshot);
  }

  /**
   * Each benchmark runs for the three flavors back to back (and the floor right after persist), so
   * that drift in the machine's speed affects a comparison as little as possible.
   */
  private static JmhResults runJmh(JmhRuns runs, List<Flavor> flavors, OtlpHttpSink sink)
      throws Exception {
    Flavor none = flavors.get(0);
    JmhResults results = new JmhResults();
    for (int threads : List.of(1, 2)) {
      for (Flavor flavor : flavors) {
        results.addAll(
            flavor.label(), threads, run(runs, flavor, threads, List.of(Benchmarks.PERSIST), sink));
      }
      results.addAll(
          none.label(), threads, run(runs, none, threads, Benchmarks.floor(threads), sink));
    }
    for (String benchmark : Benchmarks.OTHERS) {
      for (Flavor flavor : flavors) {
        results.addAll(flavor.label(), 1, run(runs, flavor, 1, List.of(benchmark), sink));
      }
    }
    for (Flavor flavor : flavors) {
      results.addAll(
          flavor.label(),
          1,
          run(runs, flavor, 1, Benchmarks.QUEUES, null, JmhRuns.QUEUE_FORKS, sink));
    }
    // Without an agent both calls are the same code: the control, whose difference should be about
    // zero.
    for (Flavor flavor : flavors.subList(0, 2)) {
      results.addAll(
          flavor.label(), 1, run(runs, flavor, 1, List.of(Benchmarks.PAIRED_THROWING), sink));
    }
    return results;
  }

  /**
   * Persist from virtual and platform threads, on {@code javaHome} (Java 21+), without agent and with
   * ours (the OpenTelemetry agent is left out: what is compared is ours on two kinds of thread).
   */
  private static void runThreadKinds(
      JmhRuns runs, List<Flavor> flavors, Path javaHome, JmhResults results, OtlpHttpSink sink)
      throws Exception {
    for (Flavor flavor : flavors) {
      results.addAll(
          flavor.label(),
          1,
          run(
              runs,
              flavor,
              1,
              List.of(Benchmarks.THREAD_KIND_PERSIST),
              javaHome,
              JmhRuns.VIRTUAL_THREAD_FORKS,
              sink));
    }
  }

  private static Map<String, Measurement> run(
      JmhRuns runs, Flavor flavor, int threads, List<String> benchmarks, OtlpHttpSink sink)
      throws Exception {
    return run(runs, flavor, threads, benchmarks, null, JmhRuns.FORKS, sink);
  }

  private static Map<String, Measurement> run(
      JmhRuns runs,
      Flavor flavor,
      int threads,
      List<String> benchmarks,
      Path javaHome,
      int forks,
      OtlpHttpSink sink)
      throws Exception {
    String description =
        "JMH " + flavor.label() + ", " + threads + (threads == 1 ? " thread: " : " threads: ")
            + benchmarks + (javaHome == null ? "" : " on " + javaHome);
    progress(description);
    AgentActivityCheck activity = AgentActivityCheck.before(sink, benchmarks);
    Map<String, Measurement> measurements = runs.run(flavor, threads, benchmarks, javaHome, forks);
    if (flavor.label().equals(Flavor.OURS)) {
      activity.requireExported(description);
    }
    return measurements;
  }

  private static void progress(String message) {
    System.out.println("[bench " + LocalTime.now().withNano(0) + "] " + message);
  }
}
