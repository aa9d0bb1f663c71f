package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.CoexistenceTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent beside what an application may already have: its own ByteBuddy, OpenTelemetry SDK
 * and SnakeYAML Engine of other versions, and the OpenTelemetry Java agent as a second
 * {@code -javaagent}, in either order. The application runs unchanged and our counts stay exact.
 */
class CoexistenceTest {

  @TempDir
  Path dir;

  enum AgentOrder {
    OURS_FIRST,
    OPENTELEMETRY_FIRST
  }

  @Test
  void applicationBundlingOtherVersionsOfOurLibrariesRunsUnchanged() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(dir, "agent.yaml", storeConfig(receiver));
      try (ChildJvm app = coexistenceTarget(AgentHarness.jvmWithAgent("bundled-libraries", config))
          .start()) {
        assertApplicationRanUnchanged(app);
        assertOurCountsExact(receiver, app);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AgentOrder.class)
  void openTelemetryJavaAgentBesideOurs(AgentOrder order) throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(dir, "agent.yaml", storeConfig(receiver));
      // Configured through its own file: -Dotel.* properties would configure our exporter too.
      Path openTelemetryConfig = dir.resolve("otel-javaagent.properties");
      Files.writeString(
          openTelemetryConfig,
          String.join(
              "\n",
              "otel.service.name=opentelemetry-javaagent-side",
              "otel.exporter.otlp.protocol=grpc",
              "otel.exporter.otlp.endpoint=" + receiver.endpoint(),
              "otel.metrics.exporter=otlp",
              // Its export at JVM exit does not wait for delivery (measured: a program running
              // alone with it for 3 s delivered nothing), so it exports on a short interval.
              "otel.metric.export.interval=250",
              "otel.traces.exporter=console",
              "otel.logs.exporter=none",
              "otel.instrumentation.methods.include=" + CoexistenceTarget.Store.class.getName()
                  + "[persist]",
              ""));
      String ours = AgentHarness.javaagentOption(config);
      String openTelemetry = "-javaagent:" + AgentHarness.openTelemetryJavaagentJar();
      try (ChildJvm app = coexistenceTarget(AgentHarness.jvm(
                  "with-opentelemetry-javaagent-" + order)
              .jvmOptions(
                  order == AgentOrder.OURS_FIRST
                      ? new String[] {ours, openTelemetry}
                      : new String[] {openTelemetry, ours})
              .systemProperty("otel.javaagent.configuration-file", openTelemetryConfig.toString()))
          .start()) {
        assertApplicationRanUnchanged(app);
        assertTrue(
            app.stderr().contains("opentelemetry-javaagent - version: "),
            "the OpenTelemetry agent started:\n" + app.stderr());
        // Its advice ran in the same methods as ours: a span per call of Store.persist, and one
        // more
        // per call through the generated override (ours counts those once: one logical call).
        Map<String, Long> ran = AgentHarness.reportLine(app.stdout(), "COEXIST");
        assertEquals(ran.get("persisted"), spans(app, "'Store.persist'"));
        assertEquals(ran.get("generated_calls"), spans(app, "'CoexistenceTarget$Store$ByteBuddy$"));
        assertOurCountsExact(receiver, app);
      }
      assertTrue(
          receiver.metrics().metricNames().stream().anyMatch(name -> name.startsWith("jvm.")),
          "the OpenTelemetry agent's own metrics arrived too: "
              + receiver.metrics().metricNames());
    }
  }

  /** Spans the OpenTelemetry agent's console exporter logged whose name starts with {@code quotedName}. */
  private static long spans(ChildJvm app, String quotedName) {
    return app.stderr()
        .lines()
        .filter(line -> line.contains("LoggingSpanExporter - " + quotedName))
        .count();
  }

  private static String[] storeConfig(OtlpReceiver receiver) {
    return AgentHarness.concat(
        new String[] {
          "persist:",
          "  targets:",
          "    - class: " + CoexistenceTarget.Store.class.getName(),
          "      methods: [persist]",
        },
        AgentHarness.exportTo(receiver, "60s"));
  }

  /** The target on the test classes and its bundled libraries. */
  private static ChildJvm.Builder coexistenceTarget(ChildJvm.Builder jvm) {
    return jvm.classpath(AgentHarness.testClasses())
        .classpath(bundledLibraries().toArray(new Path[0]))
        .mainClass(CoexistenceTarget.class.getName());
  }

  private static List<Path> bundledLibraries() {
    try (Stream<Path> jars = Files.list(Path.of(System.getProperty("coexistence.libs", "")))) {
      return jars.sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "-Dcoexistence.libs must name the folder of the bundled libraries", e);
    }
  }

  /** Its plan read from YAML, its generated subclass answering, its own counter: all as without an agent. */
  private static void assertApplicationRanUnchanged(ChildJvm app) {
    assertEquals(0, app.waitFor(Duration.ofSeconds(90)), app.stderr());
    Map<String, Long> ran = AgentHarness.reportLine(app.stdout(), "COEXIST");
    assertEquals(
        Map.of(
            "persisted", 40L, "generated_calls", 25L, "own_counter", 40L, "generated_describe", 1L),
        ran);
    String jars = app.stdout()
        .lines()
        .filter(line -> line.startsWith("COEXIST-JARS "))
        .findFirst()
        .orElseThrow();
    for (Path bundled : bundledLibraries()) {
      if (bundled
          .getFileName()
          .toString()
          .matches("(byte-buddy|opentelemetry-sdk-metrics|snakeyaml-engine)-.*")) {
        assertTrue(
            jars.contains("=" + bundled + " ") || jars.endsWith("=" + bundled),
            "the application's own " + bundled + " was used: " + jars);
      }
    }
    assertEquals(List.of(), AgentHarness.agentProblems(app));
  }

  /** Every call counted once, those through the ByteBuddy-generated override included. */
  private static void assertOurCountsExact(OtlpReceiver receiver, ChildJvm app) {
    MetricsView metrics = receiver.metrics();
    assertEquals(
        AgentHarness.reportLine(app.stdout(), "COEXIST").get("persisted"),
        metrics
            .awaitLatest(
                PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
            .count());
    assertEquals(1, metrics.latestPoints(PERSIST_SECONDS).size(), "no errors");
  }
}
