package dev.usagemetrics.bench;

import dev.usagemetrics.testkit.PostgresServer;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Startup of a real application, per flavor: the Spring Boot target (Spring Data JPA, Hibernate,
 * Hibernate Validator, HikariCP; {@code dev.usagemetrics.targets.spring}) on a PostgreSQL the suite
 * starts ({@link PostgresServer}). JVM start → ready (the application's {@code SPRINGREADY} line),
 * spawn → exit (start, its workload of about 1,000 persist calls with every failure it provokes,
 * exit with our last export) and peak RSS. Ours is configured as the tests configure it (the
 * repository interface and the {@code @Transactional} service as persist targets, the queue); the
 * OpenTelemetry agent runs its default instrumentation plus spans of the same methods, exporting
 * nothing. Medians of {@link #RUNS} rounds interleaved across the flavors in a {@link
 * RotatedOrder}, after one discarded warm-up round.
 */
final class SpringStartupTimer {

  /** Rounds: 7 gave medians that moved by up to 0.1 × from run to run on a two-core VM. */
  static final int RUNS = 11;

  private static final String MAIN_CLASS = "dev.usagemetrics.targets.spring.SpringUsageApplication";
  private static final String CONFIGURATION_CLASS =
      "dev.usagemetrics.targets.spring.AgentConfiguration";
  private static final Pattern READY = Pattern.compile("SPRINGREADY after_ms=(\\d+)");

  /** Medians by flavor label: JVM start → ready and spawn → exit (ms), peak RSS (MiB). */
  record SpringStartup(
      Map<String, Double> readyMillis,
      Map<String, Double> exitMillis,
      Map<String, Double> peakRssMib) {}

  private final MeasuredJvm measuredJvm;
  private final String classPath;
  private final OtlpHttpSink sink;

  /** {@code classPath}: the application's classes, its resources and its libraries. */
  SpringStartupTimer(MeasuredJvm measuredJvm, String classPath, OtlpHttpSink sink) {
    this.measuredJvm = measuredJvm;
    this.classPath = classPath;
    this.sink = sink;
  }

  /**
   * @throws PostgresServer.NotInstalledException without PostgreSQL
   */
  SpringStartup measure(SuiteSettings settings)
      throws IOException, InterruptedException, ReflectiveOperationException {
    PostgresServer postgres = PostgresServer.shared();
    // The schema is created anew at each start: one database serves every run.
    List<String> args = List.of("--spring.datasource.url=" + postgres.jdbcUrl("postgres"));
    Path config = AgentConfigFile.write(
        settings.workDir().resolve("bench-agent-spring.yaml"),
        List.of(configuration("bothTargetsAndQueue")),
        sink.endpoint());
    List<Flavor> flavors = List.of(
        Flavor.none(),
        Flavor.ours(settings.agentJar(), config),
        Flavor.otel(settings.otelAgentJar(), configuration("openTelemetryMethods")));
    Map<String, List<Double>> ready = new LinkedHashMap<>();
    Map<String, List<Double>> exit = new LinkedHashMap<>();
    Map<String, List<Double>> peakRss = new LinkedHashMap<>();
    for (int round = -1; round < RUNS; round++) {
      for (Flavor flavor : RotatedOrder.of(flavors, round)) {
        int exportsBefore = sink.exportsNaming(OtlpHttpSink.PERSIST_SECONDS);
        MeasuredJvm.Outcome outcome = measuredJvm.run(flavor, MAIN_CLASS, classPath, args);
        if (flavor.label().equals(Flavor.OURS)
            && sink.exportsNaming(OtlpHttpSink.PERSIST_SECONDS) == exportsBefore) {
          throw new IllegalStateException(
              "our agent exported no " + OtlpHttpSink.PERSIST_SECONDS
                  + " from the Spring Boot target: it did not instrument or record (check bench-logs/)");
        }
        System.out.println("[bench] Spring Boot round " + round + ", " + flavor.label() + ": ready "
            + Math.round(readyMillis(outcome)) + " ms, exit "
            + Math.round(outcome.wallNanos() / 1e6)
            + " ms");
        if (round >= 0) {
          ready
              .computeIfAbsent(flavor.label(), label -> new ArrayList<>())
              .add(readyMillis(outcome));
          exit.computeIfAbsent(flavor.label(), label -> new ArrayList<>())
              .add(outcome.wallNanos() / 1e6);
          peakRss
              .computeIfAbsent(flavor.label(), label -> new ArrayList<>())
              .add(outcome.peakRssMib());
        }
      }
    }
    return new SpringStartup(
        StartupTimer.medians(ready), StartupTimer.medians(exit), StartupTimer.medians(peakRss));
  }

  /**
   * What the application's {@code AgentConfiguration} gives (the tests' configuration), asked in a
   * loader of its own: its classes need Spring's, which the suite's class path does not hold.
   */
  private String configuration(String method)
      throws MalformedURLException, ReflectiveOperationException {
    List<URL> urls = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Object lines =
          Class.forName(CONFIGURATION_CLASS, true, loader).getMethod(method).invoke(null);
      return lines instanceof String[] array ? String.join("\n", array) : (String) lines;
    } catch (IOException | InvocationTargetException e) {
      throw new IllegalStateException(
          "could not read " + CONFIGURATION_CLASS + "." + method + "()", e);
    }
  }

  private static double readyMillis(MeasuredJvm.Outcome outcome) {
    Matcher matcher = READY.matcher(outcome.stdout());
    if (!matcher.find()) {
      throw new IllegalStateException(
          "the Spring Boot target printed no SPRINGREADY line: " + outcome.stdout());
    }
    return Long.parseLong(matcher.group(1));
  }
}
