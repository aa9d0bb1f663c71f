package dev.usagemetrics.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    SuiteSettings settings = SuiteSettings.parse(args);
    try (OtlpHttpSink sink = OtlpHttpSink.start()) {
      Path config = AgentConfigFile.write(settings.workDir().resolve("bench-agent.yaml"), sink.endpoint());
      Flavor none = Flavor.none();
      List<Flavor> flavors = List.of(none, Flavor.ours(settings.agentJar(), config), Flavor.otel(settings.otelAgentJar()));

      JmhResults jmh = runJmh(new JmhRuns(settings.logDir()), flavors, none);
      ChildJvm childJvm = new ChildJvm(settings.benchClasses(), settings.logDir());
      progress("startup, " + StartupTimer.RUNS + " interleaved runs per flavor");
      Map<String, Double> startup = new StartupTimer(childJvm).medianMillis(flavors);
      progress("footprint, " + FootprintProbe.RUNS + " runs per flavor");
      Map<String, Footprint> footprints = new FootprintProbe(childJvm).measure(flavors);

      List<Row> rows =
          new ResultsTable(jmh, startup, footprints, Files.size(settings.agentJar()), Files.size(settings.otelAgentJar())).rows();
      long wallSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      String report = new MarkdownReport(settings).render(rows, wallSeconds, sink.exports());
      Files.writeString(settings.report(), report, StandardCharsets.UTF_8);
      System.out.println();
      System.out.println(report);
      progress("written to " + settings.report());
    }
  }

  private static JmhResults runJmh(JmhRuns runs, List<Flavor> flavors, Flavor none) throws Exception {
    JmhResults results = new JmhResults();
    for (Flavor flavor : flavors) {
      progress("JMH " + flavor.label() + ", 1 thread: " + Benchmarks.SINGLE_THREAD);
      results.addAll(flavor.label(), 1, runs.run(flavor, 1, Benchmarks.SINGLE_THREAD));
      progress("JMH " + flavor.label() + ", 2 threads: " + Benchmarks.TWO_THREADS);
      results.addAll(flavor.label(), 2, runs.run(flavor, 2, Benchmarks.TWO_THREADS));
    }
    progress("JMH floor (no agent): " + Benchmarks.FLOOR);
    results.addAll(none.label(), 1, runs.run(none, 1, Benchmarks.FLOOR));
    return results;
  }

  private static void progress(String message) {
    System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
  }
}
