package dev.usagemetrics.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.jar.JarFile;

/** The results file: environment header, the table, and how to read it. */
final class MarkdownReport {

  private final SuiteSettings settings;
  private final double loadAtStart;
  private final int startedBusy;

  /**
   * {@code loadAtStart}: the 1-minute load average when the suite started; {@code startedBusy}: how
   * many timed JVMs started without a quiet moment ({@link QuietMachine}).
   */
  MarkdownReport(SuiteSettings settings, double loadAtStart, int startedBusy) {
    this.settings = settings;
    this.loadAtStart = loadAtStart;
    this.startedBusy = startedBusy;
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  String render(List<Row> rows, long suiteWallSeconds, int exportsReceived) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# Benchmarks: no agent / usage-metrics agent / OpenTelemetry Java agent\n\n");
    out.append("- Date: ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append('\n');
    out.append("- JDK: ")
        .append(System.getProperty("java.version"))
        .append(", ")
        .append(System.getProperty("java.vm.name"))
        .append(" (")
        .append(System.getProperty("java.vm.version"))
        .append("), ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.arch"))
        .append('\n');
    int nproc = Runtime.getRuntime().availableProcessors();
    double loadAtEnd = loadAverage();
    out.append("- nproc: ")
        .append(nproc)
        .append("; load average (1 min) at start / end: ")
        .append(Format.number(loadAtStart, 2))
        .append(" / ")
        .append(Format.number(loadAtEnd, 2))
        .append('\n');
    if (Math.max(loadAtStart, loadAtEnd) > nproc) {
      out.append("- **Warning: the machine was busy with other work (load above nproc):"
          + " the figures below are disturbed.**\n");
    }
    out.append("- Command: `").append(settings.command()).append("`\n");
    out.append("- Agents: ours ")
        .append(version(settings.agentJar()))
        .append(" (`")
        .append(settings.agentJar().getFileName())
        .append("`), OpenTelemetry Java agent ")
        .append(version(settings.otelAgentJar()))
        .append(" with `-Dotel.instrumentation.methods.include=")
        .append(Flavor.OTEL_METHODS)
        .append("` and all exporters `none`\n");
    out.append("- ").append(JmhRuns.settings()).append('\n');
    out.append(
            "- Each timed JVM (startup, Spring Boot, footprint, exit) started once the machine had been ")
        .append(Math.round(QuietMachine.IDLE_SHARE * 100))
        .append(" % idle over ")
        .append(QuietMachine.LOOK.toMillis())
        .append(" ms; ")
        .append(startedBusy)
        .append(" started after waiting ")
        .append(QuietMachine.LONGEST_WAIT.toSeconds())
        .append(" s for that in vain\n");
    out.append("- Suite wall time: ").append(suiteWallSeconds).append(" s (after the build)\n\n");
    out.append(Row.HEADER).append('\n');
    for (Row row : rows) {
      out.append(row.markdown()).append('\n');
    }
    out.append('\n');
    out.append("Notes\n\n");
    out.append(
        "- *added* = flavor − no agent, in the same run; its error combines both errors in quadrature."
            + " A verdict compares the point estimate.\n");
    out.append(
        "- Persist: `BenchRepository.persist(long)` called on a shared instance, result into a Blackhole;"
            + " at 2 threads the time is per operation per thread.\n");
    out.append(
        "- Throwing: `persistFailing` throws a `SQLTimeoutException` (SQLState HYT00) caught by the benchmark;"
            + " preallocated isolates the failure path, fresh adds building the exception and its stack trace, from the"
            + " benchmark's stack and from " + ThrowingPersistBenchmark.DEEP_STACK
            + " frames further down; every flavor"
            + " runs them on a fixed, pre-touched 512 MiB heap (`-Xms512m -Xmx512m -XX:+AlwaysPreTouch`).\n");
    out.append(
        "- *in one JVM* rows (`PairedThrowingBenchmark`): each invocation makes the failing call through the"
            + " configured method and through an unconfigured twin, alternating which goes first, each timed on its own"
            + " with a fresh exception: heap, GC, JIT and machine load are the same for both, so the difference is the"
            + " agent's share. Without the agent both are the same code: that difference is the method's noise.\n");
    out.append(
        "- *thread CPU* rows: the benchmark thread's CPU time per operation (`ThreadMXBean`, read per"
            + " iteration; mean of the iterations' ratios). Wall time on this shared machine also counts the time the"
            + " thread waited for a core, which depends on the other work running; CPU time does not.\n");
    String java = settings.virtualThreadsJava() == null
        ? "no Java 21+"
        : "`" + settings.virtualThreadsJava() + "`";
    out.append(
        "- Virtual vs platform threads (`ThreadKindPersistBenchmark`, run on " + java
            + "): each invocation"
            + " starts 2 or 64 threads of one kind that make " + ThreadKindPersistBenchmark.CALLS
            + " persist calls in"
            + " all; time per call across all cores, wall and process CPU (the latter counted in 10 ms ticks, averaged"
            + " over many invocations). The ratio compares what our agent adds per call on each kind.\n");
    out.append(
        "- Exit: `StartupMain` under our agent (`shutdown_timeout: 2s`), exporting at exit to the sink, to a"
            + " closed loopback port, and to `collector.invalid`.\n");
    out.append("- Floor: in-process OpenTelemetry SDK histogram with bounds ")
        .append(HistogramFloorBenchmark.BUCKET_BOUNDS)
        .append(
            ", exemplars off, one precomputed attribute; recorded with `Context.root()` as the agent does"
                + " (the plain `record(value, attributes)` variant is shown too).\n");
    out.append(
        "- The OpenTelemetry agent creates a span per call (and records the exception on it);"
            + " its exporters are off, so nothing leaves the JVM.\n");
    out.append(
        "- Our agent exports (at exit: the interval is 1 h) to an in-process OTLP/HTTP sink standing in for"
            + " a collector; " + exportsReceived
            + " exports received, and every JMH run of ours was checked to have"
            + " exported its metrics"
            + " (so a disabled agent cannot pass for a free one).\n");
    out.append(
        "- Startup, hello world: spawn → exit includes our agent's exit-time wait for its SDK and last export,"
            + " to an OTLP/HTTP receiver on loopback that answers. Spawn → main() entered is what premain costs"
            + " before the application runs. The floor runs the OpenTelemetry SDK and OTLP/HTTP exporter of"
            + " the versions"
            + " the agent bundles, unshaded, in a bare JVM (`StartupSdkMain`): what any in-process OTLP export costs a"
            + " program that exports once and exits. Peak RSS and CPU time (all threads, user + system) are"
            + " the kernel's"
            + " accounting of the child, read by `/usr/bin/time`.\n");
    out.append(
        "- Startup, Spring Boot: the Spring Data JPA + PostgreSQL target of the tests, on a PostgreSQL cluster"
            + " the suite starts on loopback; ready is the application's own `SPRINGREADY` line (JVM uptime when"
            + " `SpringApplication.run` returned); exit includes its workload (persist calls through both targets and"
            + " the queue, with every failure it provokes). Ours: the tests' configuration (the repository"
            + " interface and"
            + " the `@Transactional` service as persist targets, the queue); the OpenTelemetry agent: its default"
            + " instrumentation plus spans of the same methods, all exporters `none`.\n");
    out.append(
        "- Heap and metaspace are read in the child after a 3 s settle and `System.gc()`.\n");
    out.append(
        "- The agent jar measured is a copy taken when the suite started (`target/bench-agent/`).\n");
    out.append("- MiB = 1024 × 1024 bytes; the jar's exact size in bytes is shown next to it.\n");
    out.append("- JMH logs: `").append(settings.logDir()).append("`.\n");
    return out.toString();
  }

  private static String version(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      String version = file.getManifest() == null
          ? null
          : file.getManifest().getMainAttributes().getValue("Implementation-Version");
      return version == null ? "(unknown version)" : version;
    }
  }
}
