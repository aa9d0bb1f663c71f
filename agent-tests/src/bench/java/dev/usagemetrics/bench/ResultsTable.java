package dev.usagemetrics.bench;

import static dev.usagemetrics.bench.Flavor.NONE;
import static dev.usagemetrics.bench.Flavor.OTEL;
import static dev.usagemetrics.bench.Flavor.OURS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns the measurements into table rows, each with its target and PASS/FAIL where there is one. */
final class ResultsTable {

  static final double FLOOR_FACTOR = 1.2;
  static final double QUEUE_MAX_NS = 5;
  static final double THROWING_MAX_NS = 300;
  static final double TWO_THREAD_FACTOR = 1.5;
  /** Hello world: spawn → exit above the SDK + exporter floor, peak RSS above the floor's, premain's share. */
  static final double STARTUP_ABOVE_FLOOR_MAX_MS = 150;

  static final double PEAK_RSS_ABOVE_FLOOR_MAX_MIB = 10;
  static final double PREMAIN_MAX_MS = 150;
  /** Spring Boot target: JVM start → ready with the agent / without. */
  static final double SPRING_READY_MAX_RATIO = 1.10;

  static final double JAR_MAX_MIB = 10;
  static final double FOOTPRINT_MAX_MIB = 16;
  /** Agent-added time per persist call from virtual threads, at most this times that from as many platform threads. */
  static final double VIRTUAL_THREAD_FACTOR = 1.2;

  static final double EXIT_DELAY_MAX_MS = 200;
  /** "About zero" allocation: JMH's per-op figure carries a little of the harness's own allocation noise. */
  static final double ALLOCATION_MAX_BYTES = 1;

  private final JmhResults jmh;
  private final StartupTimer.Startup startup;
  private final SpringStartupTimer.SpringStartup spring;
  private final Map<String, Footprint> footprints;
  private final Map<String, Double> exitMillis;
  private final String springNotMeasured;
  private final long oursJarBytes;
  private final long otelJarBytes;
  private final boolean threadKindsMeasured;

  /**
   * {@code spring}: null when it could not be measured (PostgreSQL missing), {@code springNotMeasured}
   * says why; {@code exitMillis}: {@link ExitDelayTimer}'s medians; {@code threadKindsMeasured}: whether
   * a Java 21+ ran the thread-kind benchmark.
   */
  ResultsTable(
      JmhResults jmh,
      StartupTimer.Startup startup,
      SpringStartupTimer.SpringStartup spring,
      String springNotMeasured,
      Map<String, Footprint> footprints,
      Map<String, Double> exitMillis,
      long oursJarBytes,
      long otelJarBytes,
      boolean threadKindsMeasured) {
    this.jmh = jmh;
    this.startup = startup;
    this.spring = spring;
    this.springNotMeasured = springNotMeasured;
    this.footprints = footprints;
    this.exitMillis = exitMillis;
    this.oursJarBytes = oursJarBytes;
    this.otelJarBytes = otelJarBytes;
    this.threadKindsMeasured = threadKindsMeasured;
  }

  List<Row> rows() {
    Estimate floor = time(NONE, 1, Benchmarks.FLOOR_ROOT_CONTEXT);
    Estimate persistAdded = added(OURS, 1, Benchmarks.PERSIST);
    Estimate ratio = persistAdded.dividedBy(floor);
    double persistLimit = FLOOR_FACTOR * floor.value();
    double twoThreadLimit = TWO_THREAD_FACTOR * persistAdded.value();

    List<Row> rows = new ArrayList<>();
    rows.add(timeRow(
        "1. persist, 1 thread (ns/op)",
        1,
        Benchmarks.PERSIST,
        "≤ " + FLOOR_FACTOR + " × floor = " + Format.number(persistLimit, 1) + " ns",
        persistAdded.value() <= persistLimit));
    rows.add(timeRow(
        "1. persist, 2 threads (ns/op, per thread)",
        2,
        Benchmarks.PERSIST,
        "≤ " + TWO_THREAD_FACTOR + " × 1-thread added = " + Format.number(twoThreadLimit, 1)
            + " ns",
        added(OURS, 2, Benchmarks.PERSIST).value() <= twoThreadLimit));
    Estimate cpuFloor = cpuTime(NONE, 1, Benchmarks.FLOOR_ROOT_CONTEXT);
    Estimate cpuPersistAdded = cpuAdded(OURS, 1, Benchmarks.PERSIST);
    rows.add(cpuRow(
        "1. persist, 1 thread (thread CPU ns/op)",
        1,
        Benchmarks.PERSIST,
        "≤ " + FLOOR_FACTOR + " × floor's CPU = "
            + Format.number(FLOOR_FACTOR * cpuFloor.value(), 1) + " ns",
        cpuPersistAdded.value() <= FLOOR_FACTOR * cpuFloor.value()));
    rows.add(cpuRow(
        "1. persist, 2 threads (thread CPU ns/op, per thread)",
        2,
        Benchmarks.PERSIST,
        "≤ " + TWO_THREAD_FACTOR + " × 1-thread added = "
            + Format.number(TWO_THREAD_FACTOR * cpuPersistAdded.value(), 1) + " ns",
        cpuAdded(OURS, 2, Benchmarks.PERSIST).value()
            <= TWO_THREAD_FACTOR * cpuPersistAdded.value()));
    rows.addAll(threadKindRows());
    String throwingTarget = "≤ " + Format.number(THROWING_MAX_NS, 0) + " ns";
    rows.add(timeRow(
        "2. persist throwing, preallocated SQLTimeoutException (ns/op)",
        1,
        Benchmarks.THROWING_PREALLOCATED,
        throwingTarget,
        added(OURS, 1, Benchmarks.THROWING_PREALLOCATED).value() <= THROWING_MAX_NS));
    rows.add(cpuRow(
        "2. persist throwing, preallocated SQLTimeoutException (thread CPU ns/op)",
        1,
        Benchmarks.THROWING_PREALLOCATED,
        throwingTarget,
        cpuAdded(OURS, 1, Benchmarks.THROWING_PREALLOCATED).value() <= THROWING_MAX_NS));
    // Building a fresh exception costs microseconds that scatter by tens of percent from one
    // iteration and one JVM to the next, without agent too: a difference between two JVMs cannot
    // resolve a few hundred nanoseconds, so the verdict is the in-one-JVM pair below.
    String pairedVerdict = "verdict: the in-one-JVM row";
    rows.add(timeRow(
        "2. persist throwing, fresh exception per call (ns/op)",
        1,
        Benchmarks.THROWING_FRESH,
        pairedVerdict,
        null));
    rows.add(timeRow(
        "2. persist throwing, fresh exception per call, " + ThrowingPersistBenchmark.DEEP_STACK
            + " frames deeper (ns/op)",
        1,
        Benchmarks.THROWING_FRESH_DEEP,
        pairedVerdict,
        null));
    for (int depth : List.of(0, ThrowingPersistBenchmark.DEEP_STACK)) {
      rows.add(pairedRow(depth, throwingTarget));
    }
    String queueTarget = "≤ " + Format.number(QUEUE_MAX_NS, 0) + " ns";
    rows.add(timeRow(
        "3. queue offer+poll on BenchQueue (ns/op)",
        1,
        Benchmarks.QUEUE,
        queueTarget,
        added(OURS, 1, Benchmarks.QUEUE).value() <= QUEUE_MAX_NS));
    rows.add(cpuRow(
        "3. queue offer+poll on BenchQueue (thread CPU ns/op)",
        1,
        Benchmarks.QUEUE,
        queueTarget,
        cpuAdded(OURS, 1, Benchmarks.QUEUE).value() <= QUEUE_MAX_NS));
    rows.add(timeRow(
        "3. offer+poll on a plain JDK ArrayDeque, not configured (ns/op)",
        1,
        Benchmarks.JDK_DEQUE,
        "",
        null));
    rows.add(new Row(
        "4. floor: 2×nanoTime + SDK histogram.record, root context (ns/op)",
        Format.estimate(floor),
        "",
        "",
        "",
        "",
        "the ratio's denominator",
        Row.info()));
    Estimate floorTwoThreads = time(NONE, 2, Benchmarks.FLOOR_ROOT_CONTEXT);
    rows.add(new Row(
        "4. floor at 2 threads (ns/op, per thread)",
        Format.estimate(floorTwoThreads),
        "",
        "",
        "",
        "",
        "SDK alone, 2 threads / 1 thread = "
            + Format.number(floorTwoThreads.value() / floor.value(), 2) + "×",
        Row.info()));
    rows.add(new Row(
        "4. floor variant: record with the current context (ns/op)",
        Format.estimate(time(NONE, 1, Benchmarks.FLOOR_CURRENT_CONTEXT)),
        "",
        "",
        "",
        "",
        "",
        Row.info()));
    rows.add(new Row(
        "4. ours persist added / floor",
        "",
        Format.number(ratio.value(), 2) + " ± " + Format.number(ratio.error(), 2),
        Format.number(added(OTEL, 1, Benchmarks.PERSIST).dividedBy(floor).value(), 2),
        "",
        "",
        "≤ " + FLOOR_FACTOR,
        Row.verdict(ratio.value() <= FLOOR_FACTOR)));
    rows.addAll(startupRows());
    rows.addAll(springRows());
    rows.add(jarRow());
    rows.addAll(footprintRows());
    rows.add(allocationRow(
        "7. allocation, persist success, 1 thread (B/op)", 1, Benchmarks.PERSIST, true));
    rows.add(allocationRow(
        "7. allocation, persist success, 2 threads (B/op)", 2, Benchmarks.PERSIST, true));
    rows.add(allocationRow(
        "7. allocation, throwing preallocated (B/op)", 1, Benchmarks.THROWING_PREALLOCATED, false));
    rows.add(allocationRow(
        "7. allocation, throwing fresh (B/op; the application's own exception is in every flavor)",
        1,
        Benchmarks.THROWING_FRESH,
        true));
    rows.add(allocationRow(
        "7. allocation, throwing fresh, " + ThrowingPersistBenchmark.DEEP_STACK
            + " frames deeper (B/op)",
        1,
        Benchmarks.THROWING_FRESH_DEEP,
        true));
    rows.add(allocationRow("7. allocation, queue offer+poll (B/op)", 1, Benchmarks.QUEUE, false));
    rows.addAll(exitRows());
    return rows;
  }

  /**
   * {@link PairedThrowingBenchmark}: the configured call minus its unconfigured twin in one JVM; in
   * the JVM without agent the two are the same code (the control).
   */
  private Row pairedRow(int depth, String target) {
    Estimate control = jmh.get(NONE, 1, Benchmarks.pairedThrowing(depth)).pairDifference();
    Estimate added = jmh.get(OURS, 1, Benchmarks.pairedThrowing(depth)).pairDifference();
    return new Row(
        "2. persist throwing a fresh exception " + (depth == 0 ? "" : depth + " frames deeper ")
            + "in one JVM: configured call − unconfigured twin (ns per call; no agent: the control)",
        Format.added(control),
        "",
        "",
        Format.added(added),
        "",
        "added " + target,
        Row.verdict(added.value() <= THROWING_MAX_NS));
  }

  /**
   * Persist from platform and virtual threads on Java 21+, per call across all cores: wall time and
   * process CPU time, and the ratio of what our agent adds on each kind of thread.
   */
  private List<Row> threadKindRows() {
    String note = " (ns per call, all cores; " + JmhRuns.VIRTUAL_THREAD_FORKS + " forks)";
    if (!threadKindsMeasured) {
      return List.of(new Row(
          "1. persist from virtual threads" + note,
          "",
          "",
          "",
          "",
          "",
          "not measured: no Java 21+ given (--virtual-threads-java)",
          Row.info()));
    }
    List<Row> rows = new ArrayList<>();
    for (int threads : Benchmarks.THREAD_KIND_COUNTS) {
      for (String kind : List.of(Benchmarks.PLATFORM, Benchmarks.VIRTUAL)) {
        String benchmark = Benchmarks.threadKind(kind, threads);
        Measurement none = jmh.get(NONE, 1, benchmark);
        Measurement ours = jmh.get(OURS, 1, benchmark);
        rows.add(new Row(
            "1. persist from " + threads + " new " + kind + " threads, wall / process CPU" + note,
            Format.estimate(none.time()) + " / " + Format.estimate(none.cpuTime()),
            Format.estimate(ours.time()) + " / " + Format.estimate(ours.cpuTime()),
            "",
            Format.added(ours.time().minus(none.time())) + " / "
                + Format.added(ours.cpuTime().minus(none.cpuTime())),
            "",
            "",
            Row.info()));
      }
      rows.add(threadKindRatioRow(threads, "wall time", Measurement::time));
      rows.add(threadKindRatioRow(threads, "process CPU time", Measurement::cpuTime));
    }
    return rows;
  }

  private Row threadKindRatioRow(
      int threads, String measure, Function<Measurement, Estimate> value) {
    Estimate[] added = new Estimate[2];
    int index = 0;
    for (String kind : List.of(Benchmarks.VIRTUAL, Benchmarks.PLATFORM)) {
      added[index++] = added(OURS, 1, Benchmarks.threadKind(kind, threads), value);
    }
    Estimate ratio = added[0].dividedBy(added[1]);
    return new Row(
        "1. ours added, virtual / platform threads, " + threads + " threads (" + measure + ")",
        "",
        Format.number(ratio.value(), 2) + " ± " + Format.number(ratio.error(), 2),
        "",
        "",
        "",
        "≤ " + VIRTUAL_THREAD_FACTOR,
        Row.verdict(ratio.value() <= VIRTUAL_THREAD_FACTOR));
  }

  /** Our agent's exit with a collector refusing connections or whose host does not resolve, beside a working one. */
  private List<Row> exitRows() {
    double working = exitMillis.get(ExitDelayTimer.WORKING);
    String runs = ", median of " + ExitDelayTimer.RUNS + " interleaved runs (ms)";
    List<Row> rows = new ArrayList<>();
    rows.add(new Row(
        "8. exit: StartupMain spawn→exit under our agent, collector working" + runs,
        "",
        Format.number(working, 0),
        "",
        "",
        "",
        "the baseline of the two rows below",
        Row.info()));
    for (String[] collector : new String[][] {
      {ExitDelayTimer.REFUSED, "refusing connections"},
      {ExitDelayTimer.UNRESOLVABLE, "host not resolving"}
    }) {
      double delay = exitMillis.get(collector[0]) - working;
      rows.add(new Row(
          "8. exit: StartupMain spawn→exit under our agent, collector " + collector[1] + runs,
          "",
          Format.number(exitMillis.get(collector[0]), 0),
          "",
          Format.signed(delay, 0) + " over working",
          "",
          "≤ +" + Format.number(EXIT_DELAY_MAX_MS, 0) + " ms over working",
          Row.verdict(delay <= EXIT_DELAY_MAX_MS)));
    }
    return rows;
  }

  /** A time row; {@code pass} null means there is no target (information only). */
  private Row timeRow(String title, int threads, String benchmark, String target, Boolean pass) {
    return row(title, threads, benchmark, target, pass, Measurement::time);
  }

  /** A thread-CPU-time row. */
  private Row cpuRow(String title, int threads, String benchmark, String target, boolean pass) {
    return row(title, threads, benchmark, target, pass, Measurement::cpuTime);
  }

  /** A row of {@code measure} per flavor and what each agent adds to it. */
  private Row row(
      String title,
      int threads,
      String benchmark,
      String target,
      Boolean pass,
      Function<Measurement, Estimate> measure) {
    return new Row(
        title,
        Format.estimate(measure.apply(jmh.get(NONE, threads, benchmark))),
        Format.estimate(measure.apply(jmh.get(OURS, threads, benchmark))),
        Format.estimate(measure.apply(jmh.get(OTEL, threads, benchmark))),
        Format.added(added(OURS, threads, benchmark, measure)),
        Format.added(added(OTEL, threads, benchmark, measure)),
        target.isEmpty() ? "" : "added " + target,
        pass == null ? Row.info() : Row.verdict(pass));
  }

  private Row allocationRow(String title, int threads, String benchmark, boolean targeted) {
    Estimate oursAdded =
        allocation(OURS, threads, benchmark).minus(allocation(NONE, threads, benchmark));
    return new Row(
        title,
        Format.bytes(allocation(NONE, threads, benchmark)),
        Format.bytes(allocation(OURS, threads, benchmark)),
        Format.bytes(allocation(OTEL, threads, benchmark)),
        Format.addedBytes(oursAdded),
        Format.addedBytes(
            allocation(OTEL, threads, benchmark).minus(allocation(NONE, threads, benchmark))),
        targeted ? "added ≈ 0 (< " + Format.number(ALLOCATION_MAX_BYTES, 0) + " B/op)" : "",
        targeted ? Row.verdict(oursAdded.value() < ALLOCATION_MAX_BYTES) : Row.info());
  }

  private List<Row> startupRows() {
    Map<String, Double> exit = startup.exitMillis();
    Map<String, Double> mainEntered = startup.mainEnteredMillis();
    Map<String, Double> rss = startup.peakRssMib();
    Map<String, Double> cpu = startup.cpuMillis();
    double floorExit = exit.get(StartupTimer.SDK_FLOOR);
    double floorRss = rss.get(StartupTimer.SDK_FLOOR);
    double exitLimit = floorExit + STARTUP_ABOVE_FLOOR_MAX_MS;
    double rssLimit = floorRss + PEAK_RSS_ABOVE_FLOOR_MAX_MIB;
    double premain = mainEntered.get(OURS) - mainEntered.get(NONE);
    String runs = ", median of " + StartupTimer.RUNS + " interleaved runs";
    return List.of(
        startupRow(
            "5. startup, hello world (`StartupMain`, collector answering): spawn→exit" + runs
                + " (ms)",
            exit,
            0,
            aboveFloorTarget(STARTUP_ABOVE_FLOOR_MAX_MS, floorExit, exit.get(OURS), 0, "ms"),
            Row.verdict(exit.get(OURS) <= exitLimit)),
        startupRow(
            "5. startup, hello world: spawn→main() entered (premain's share)" + runs + " (ms)",
            mainEntered,
            0,
            "added ≤ " + Format.number(PREMAIN_MAX_MS, 0) + " ms",
            Row.verdict(premain <= PREMAIN_MAX_MS)),
        startupRow(
            "5. startup, hello world: peak RSS" + runs + " (MiB)",
            rss,
            1,
            aboveFloorTarget(PEAK_RSS_ABOVE_FLOOR_MAX_MIB, floorRss, rss.get(OURS), 1, "MiB"),
            Row.verdict(rss.get(OURS) <= rssLimit)),
        startupRow(
            "5. startup, hello world: CPU time, user + system, all threads" + runs + " (ms)",
            cpu,
            0,
            "ours − floor: " + Format.signed(cpu.get(OURS) - cpu.get(StartupTimer.SDK_FLOOR), 0)
                + " ms",
            Row.info()),
        new Row(
            "5. startup floor, no agent: OpenTelemetry SDK + OTLP/HTTP exporter started in main, one value exported"
                + " at exit (`StartupSdkMain`)" + runs
                + ": spawn→exit (ms) / peak RSS (MiB) / CPU (ms)",
            Format.number(floorExit, 0) + " / " + Format.number(floorRss, 1) + " / "
                + Format.number(cpu.get(StartupTimer.SDK_FLOOR), 0),
            "",
            "",
            "",
            "",
            "the floor of the targets above",
            Row.info()));
  }

  /** "≤ floor + max = limit unit (ours − floor: ±d)": a target set above the SDK floor. */
  private static String aboveFloorTarget(
      double maxAbove, double floor, double ours, int decimals, String unit) {
    return "≤ floor + " + Format.number(maxAbove, 0) + " = "
        + Format.number(floor + maxAbove, decimals) + " " + unit + " (ours − floor: "
        + Format.signed(ours - floor, decimals) + ")";
  }

  /** Flavors' values with what each adds to no agent; {@code decimals} for every cell. */
  private static Row startupRow(
      String title, Map<String, Double> values, int decimals, String target, String verdict) {
    return flavorRow(title, values, decimals, false, target, verdict);
  }

  /** Like {@link #startupRow}, each added value followed by the ratio to no agent. */
  private static Row ratioRow(
      String title, Map<String, Double> values, int decimals, String target, String verdict) {
    return flavorRow(title, values, decimals, true, target, verdict);
  }

  private static Row flavorRow(
      String title,
      Map<String, Double> values,
      int decimals,
      boolean ratios,
      String target,
      String verdict) {
    double none = values.get(NONE);
    String[] added = new String[2];
    List<String> flavors = List.of(OURS, OTEL);
    for (int i = 0; i < added.length; i++) {
      double value = values.get(flavors.get(i));
      added[i] = Format.signed(value - none, decimals)
          + (ratios ? " (" + Format.number(value / none, 2) + "×)" : "");
    }
    return new Row(
        title,
        Format.number(none, decimals),
        Format.number(values.get(OURS), decimals),
        Format.number(values.get(OTEL), decimals),
        added[0],
        added[1],
        target,
        verdict);
  }

  private List<Row> springRows() {
    String application = "5. startup, Spring Boot 3.5 + Spring Data JPA + PostgreSQL target";
    if (spring == null) {
      return List.of(new Row(
          application + ": not measured, " + springNotMeasured,
          "",
          "",
          "",
          "",
          "",
          "",
          "**not measured**"));
    }
    String runs = ", median of " + SpringStartupTimer.RUNS + " interleaved runs";
    double readyRatio = spring.readyMillis().get(OURS) / spring.readyMillis().get(NONE);
    return List.of(
        ratioRow(
            application + ": JVM start→ready (`SPRINGREADY`)" + runs + " (ms)",
            spring.readyMillis(),
            0,
            "≤ " + Format.number(SPRING_READY_MAX_RATIO, 2) + " × no agent",
            Row.verdict(readyRatio <= SPRING_READY_MAX_RATIO)),
        ratioRow(
            application + ": spawn→exit, start + workload + exit" + runs + " (ms)",
            spring.exitMillis(),
            0,
            "",
            Row.info()),
        ratioRow(
            application + ": peak RSS" + runs + " (MiB)", spring.peakRssMib(), 1, "", Row.info()));
  }

  private Row jarRow() {
    return new Row(
        "6. agent jar size (MiB; bytes)",
        "",
        Format.mib(oursJarBytes) + " (" + oursJarBytes + ")",
        Format.mib(otelJarBytes) + " (" + otelJarBytes + ")",
        "",
        "",
        "≤ " + Format.number(JAR_MAX_MIB, 0) + " MiB",
        Row.verdict(oursJarBytes <= JAR_MAX_MIB * Format.MIB));
  }

  private List<Row> footprintRows() {
    Footprint none = footprints.get(NONE);
    Footprint ours = footprints.get(OURS);
    Footprint otel = footprints.get(OTEL);
    double totalAdded = ours.totalBytes() - none.totalBytes();
    String runs = ", median of " + FootprintProbe.RUNS;
    return List.of(
        bytesRow(
            "6. heap used after startup + System.gc() (MiB" + runs + ")",
            none.heapBytes(),
            ours.heapBytes(),
            otel.heapBytes()),
        bytesRow(
            "6. metaspace used after startup (MiB" + runs + ")",
            none.metaspaceBytes(),
            ours.metaspaceBytes(),
            otel.metaspaceBytes()),
        new Row(
            "6. heap + metaspace (MiB" + runs + ")",
            Format.mib(none.totalBytes()),
            Format.mib(ours.totalBytes()),
            Format.mib(otel.totalBytes()),
            Format.signed(totalAdded / Format.MIB, 2),
            Format.signed((otel.totalBytes() - none.totalBytes()) / Format.MIB, 2),
            "added ≤ " + Format.number(FOOTPRINT_MAX_MIB, 0) + " MiB",
            Row.verdict(totalAdded <= FOOTPRINT_MAX_MIB * Format.MIB)),
        new Row(
            "6. loaded classes after startup",
            Format.number(none.loadedClasses(), 0),
            Format.number(ours.loadedClasses(), 0),
            Format.number(otel.loadedClasses(), 0),
            Format.signed(ours.loadedClasses() - none.loadedClasses(), 0),
            Format.signed(otel.loadedClasses() - none.loadedClasses(), 0),
            "",
            Row.info()));
  }

  private static Row bytesRow(String title, double none, double ours, double otel) {
    return new Row(
        title,
        Format.mib(none),
        Format.mib(ours),
        Format.mib(otel),
        Format.signed((ours - none) / Format.MIB, 2),
        Format.signed((otel - none) / Format.MIB, 2),
        "",
        Row.info());
  }

  private Estimate time(String flavor, int threads, String benchmark) {
    return jmh.get(flavor, threads, benchmark).time();
  }

  private Estimate allocation(String flavor, int threads, String benchmark) {
    return jmh.get(flavor, threads, benchmark).allocation();
  }

  private Estimate added(String flavor, int threads, String benchmark) {
    return added(flavor, threads, benchmark, Measurement::time);
  }

  private Estimate cpuTime(String flavor, int threads, String benchmark) {
    return jmh.get(flavor, threads, benchmark).cpuTime();
  }

  private Estimate cpuAdded(String flavor, int threads, String benchmark) {
    return added(flavor, threads, benchmark, Measurement::cpuTime);
  }

  /** {@code measure} of {@code flavor} minus that of no agent. */
  private Estimate added(
      String flavor, int threads, String benchmark, Function<Measurement, Estimate> measure) {
    return measure
        .apply(jmh.get(flavor, threads, benchmark))
        .minus(measure.apply(jmh.get(NONE, threads, benchmark)));
  }
}
