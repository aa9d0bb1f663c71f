package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.ERROR_TYPE;
import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS_BOUNDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.ExemplarTarget;
import dev.usagemetrics.targets.ExemplarWorkload;
import dev.usagemetrics.targets.ZeroCodeExemplarTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Polling;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.ReceivedExemplar;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Persist calls made inside a sampled span link to it: the exemplars at the receiver name exactly
 * the spans of the slowest successful call per bucket, the latest failed call per bucket and the
 * latest failure per error type, as the workload wrote them down; calls outside a span give none.
 */
class ExemplarTest {

  private static final Pattern CALL =
      Pattern.compile("CALL outcome=(\\w+) nanos=(\\d+) trace=(\\S+) span=(\\S+)");
  private static final Pattern OPENTELEMETRY_JARS =
      Pattern.compile("opentelemetry-(api|context|common|sdk-common|sdk-trace)-[0-9.]+\\.jar$");
  private static final Pattern ZERO_CODE_CALL =
      Pattern.compile("CALL outcome=(\\w+) nanos=(\\d+) span=(\\S+)");
  private static final Pattern HAND_OFF_SPAN =
      Pattern.compile("LoggingSpanExporter - 'Workload.handOff' : ([0-9a-f]{32}) ([0-9a-f]{16})");
  private static final String OPENTELEMETRY_JAVAAGENT =
      "-javaagent:" + AgentHarness.openTelemetryJavaagentJar();
  private static final String OPENTELEMETRY_CONFIG = "otel.javaagent.configuration-file";
  /** Generous: the OpenTelemetry agent alone starts in tens of seconds on a loaded machine. */
  private static final Duration EXIT = Duration.ofMinutes(3);

  @TempDir
  Path dir;

  /** One call, its body's duration as the workload measured it; ids "-" outside a span. */
  record Call(String outcome, long nanos, String traceId, String spanId) {
    boolean inSpan() {
      return !traceId.equals("-");
    }

    String ids() {
      return traceId + "/" + spanId;
    }

    int bucket() {
      double seconds = nanos / 1e9;
      int bucket = 0;
      while (bucket < PERSIST_SECONDS_BOUNDS.size()
          && seconds > PERSIST_SECONDS_BOUNDS.get(bucket)) {
        bucket++;
      }
      return bucket;
    }
  }

  @ParameterizedTest
  @CsvSource({"GRPC, cumulative", "HTTP_PROTOBUF, delta"})
  void theApplicationsOwnSdkSpansAreLinked(Protocol protocol, String temporality) {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      List<Call> calls = runTarget(
          receiver,
          "sdk",
          AgentHarness.jvmWithAgent("exemplars-sdk", config(receiver))
              .systemProperty("otel.exporter.otlp.metrics.temporality.preference", temporality));
      assertExemplarsLinkTheSlowestAndLatest(receiver.metrics(), calls);
    }
  }

  @Test
  void theOpenTelemetryJavaAgentsSpansOpenedThroughTheApplicationsApiAreLinked()
      throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      ChildJvm.Builder jvm = AgentHarness.jvm("exemplars-javaagent-api")
          .jvmOptions(AgentHarness.javaagentOption(config(receiver)), OPENTELEMETRY_JAVAAGENT)
          .systemProperty(OPENTELEMETRY_CONFIG, openTelemetryConfig(""));
      List<Call> calls = runTarget(receiver, "global", jvm);
      assertExemplarsLinkTheSlowestAndLatest(receiver.metrics(), calls);
    }
  }

  @Test
  void spansTheOpenTelemetryJavaAgentOpensInAnApplicationWithoutTheApiAreLinked()
      throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      // The OpenTelemetry agent first this time: its classes are already loaded when ours starts.
      String include = "otel.instrumentation.methods.include="
          + ZeroCodeExemplarTarget.Workload.class.getName() + "[handOff]";
      ChildJvm.Builder jvm = AgentHarness.jvm("exemplars-javaagent-zero-code")
          .jvmOptions(OPENTELEMETRY_JAVAAGENT, AgentHarness.javaagentOption(config(receiver)))
          .systemProperty(OPENTELEMETRY_CONFIG, openTelemetryConfig(include))
          .classpath(AgentHarness.testClasses())
          .mainClass(ZeroCodeExemplarTarget.class.getName());
      List<Call> calls = new ArrayList<>();
      try (ChildJvm app = jvm.start()) {
        assertEquals(0, app.waitFor(EXIT), app.stderr());
        assertTrue(app.stdout().contains("DONE"), app.stdout() + app.stderr());
        // The spans' ids, in the order their calls ran (one after another), from its span log.
        Matcher spans = HAND_OFF_SPAN.matcher(app.stderr());
        Matcher made = ZERO_CODE_CALL.matcher(app.stdout());
        while (made.find()) {
          boolean inSpan = made.group(3).equals("handOff");
          assertTrue(!inSpan || spans.find(), "a span per handOff call:\n" + app.stderr());
          calls.add(new Call(
              made.group(1),
              Long.parseLong(made.group(2)),
              inSpan ? spans.group(1) : "-",
              inSpan ? spans.group(2) : "-"));
        }
        assertEquals(13, calls.size(), app.stdout());
      }
      receiver
          .metrics()
          .awaitLatest(PERSIST_SECONDS, Map.of(OUTCOME, "error"), EXIT, point -> true);
      assertExemplarsLinkTheSlowestAndLatest(receiver.metrics(), calls);
    }
  }

  /**
   * The OpenTelemetry Java agent's configuration file (-Dotel.* properties would configure our
   * exporter too): it logs its spans; plus {@code extra}.
   */
  private String openTelemetryConfig(String extra) throws IOException {
    Path file = dir.resolve("otel-javaagent.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "otel.service.name=exemplar-workload",
            "otel.traces.exporter=logging",
            "otel.metrics.exporter=none",
            "otel.logs.exporter=none",
            extra,
            ""));
    return file.toString();
  }

  @Test
  void noSpanCurrentNoExemplars() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      List<Call> calls = runTarget(
          receiver, "none", AgentHarness.jvmWithAgent("exemplars-none", config(receiver)));
      assertTrue(calls.stream().noneMatch(Call::inSpan));
      List<MetricPoint> points = new ArrayList<>(receiver.metrics().points(PERSIST_SECONDS));
      points.addAll(receiver.metrics().points(PERSIST_ERRORS_TOTAL));
      assertTrue(points.size() >= 3, points.toString());
      points.forEach(point -> assertEquals(List.of(), point.exemplars(), point.toString()));
    }
  }

  /** Exported once, at exit: exemplars are per collection interval, and the test reads one interval's. */
  private Path config(OtlpReceiver receiver) {
    return AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.concat(
            AgentHarness.persistTarget(ExemplarWorkload.Store.class.getName(), "persist"),
            AgentHarness.exportTo(receiver, "1h")));
  }

  /** Runs the workload to its end (the agent exports once, at exit); returns its calls. */
  static List<Call> runTarget(OtlpReceiver receiver, String mode, ChildJvm.Builder jvm) {
    try (ChildJvm app = withOpenTelemetry(jvm)
        .mainClass(ExemplarTarget.class.getName())
        .args(mode)
        .start()) {
      assertEquals(0, app.waitFor(EXIT), app.stderr());
      List<Call> calls = calls(app);
      receiver
          .metrics()
          .awaitLatest(PERSIST_SECONDS, Map.of(OUTCOME, "error"), EXIT, point -> true);
      return calls;
    }
  }

  /** The calls a finished {@link ExemplarTarget} reported. */
  private static List<Call> calls(ChildJvm app) {
    assertTrue(app.stdout().contains("DONE"), app.stdout() + app.stderr());
    List<Call> calls = new ArrayList<>();
    Matcher matcher = CALL.matcher(app.stdout());
    while (matcher.find()) {
      calls.add(new Call(
          matcher.group(1), Long.parseLong(matcher.group(2)), matcher.group(3), matcher.group(4)));
    }
    assertEquals(13, calls.size(), app.stdout());
    return calls;
  }

  @Test
  void prometheusWithExemplarStorageKeepsThoseItScrapes(@TempDir Path prometheusDir)
      throws IOException {
    int port = AgentHarness.freePort();
    Path config = AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.concat(
            AgentHarness.persistTarget(ExemplarWorkload.Store.class.getName(), "persist"),
            AgentHarness.prometheusEndpoint(port)));
    String scrape = String.join(
        "\n",
        "global:",
        "  scrape_interval: 500ms",
        "scrape_configs:",
        "  - job_name: exemplars",
        "    static_configs:",
        "      - targets: [\"127.0.0.1:" + port + "\"]",
        "");
    Instant start = Instant.now().minusSeconds(60);
    try (PrometheusServer prometheus =
            PrometheusServer.start(prometheusDir, scrape, "--enable-feature=exemplar-storage");
        ChildJvm app = withOpenTelemetry(AgentHarness.jvmWithAgent("exemplars-prometheus", config))
            .mainClass(ExemplarTarget.class.getName())
            .args("sdk", "wait")
            .start()) {
      app.awaitOutput("DONE", EXIT);
      List<Call> calls = calls(app);
      Expected expected = Expected.of(calls);
      Set<String> linked = new TreeSet<>(expected.slowest());
      linked.addAll(expected.latestFailure());
      Set<String> inSpans =
          calls.stream().filter(Call::inSpan).map(Call::ids).collect(Collectors.toSet());
      // Prometheus keeps every exemplar a scrape showed: earlier intervals' too, all from the
      // workload's spans.
      Polling.await(
          EXIT,
          () -> storedIds(prometheus, "llm_usage_persist_seconds_bucket", start).containsAll(linked)
              && storedIds(prometheus, PERSIST_ERRORS_TOTAL, start)
                  .contains(expected.latestFailureOfAll()),
          () ->
              "stored " + storedIds(prometheus, "llm_usage_persist_seconds_bucket", start) + " and "
                  + storedIds(prometheus, PERSIST_ERRORS_TOTAL, start) + ", expected " + linked
                  + " of " + calls
                  + prometheus.logTail());
      assertTrue(
          inSpans.containsAll(storedIds(prometheus, "llm_usage_persist_seconds_bucket", start)));
      assertTrue(inSpans.containsAll(storedIds(prometheus, PERSIST_ERRORS_TOTAL, start)));
      app.sendLine("exit");
    }
  }

  private static Set<String> storedIds(PrometheusServer prometheus, String metric, Instant start) {
    return prometheus.exemplars(metric, start, Instant.now().plusSeconds(60)).stream()
        .map(e -> e.labels().get("trace_id") + "/" + e.labels().get("span_id"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The calls' exemplars: per bucket the slowest success and the latest failure; the latest failure of all. */
  record Expected(Set<String> slowest, Set<String> latestFailure, String latestFailureOfAll) {
    static Expected of(List<Call> calls) {
      Map<Integer, Call> slowest = new TreeMap<>();
      Map<Integer, Call> latestFailure = new TreeMap<>();
      Call latestFailureOfAll = null;
      for (Call call : calls) {
        if (!call.inSpan()) {
          continue;
        }
        if (call.outcome().equals("success")) {
          slowest.merge(
              call.bucket(), call, (held, next) -> next.nanos() > held.nanos() ? next : held);
        } else {
          latestFailure.put(call.bucket(), call);
          latestFailureOfAll = call;
        }
      }
      return new Expected(
          ids(slowest.values()), ids(latestFailure.values()), latestFailureOfAll.ids());
    }

    private static Set<String> ids(Collection<Call> calls) {
      return calls.stream().map(Call::ids).collect(Collectors.toSet());
    }
  }

  /** The workload on the test classes with the OpenTelemetry API and the SDK's tracing, as this test has them. */
  static ChildJvm.Builder withOpenTelemetry(ChildJvm.Builder jvm) {
    jvm.classpath(AgentHarness.testClasses());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (OPENTELEMETRY_JARS.matcher(entry).find()) {
        jvm.classpath(Path.of(entry));
      }
    }
    return jvm;
  }

  /** What the receiver got is what the workload's calls give, per bucket and error type. */
  static void assertExemplarsLinkTheSlowestAndLatest(MetricsView metrics, List<Call> calls) {
    Expected expected = Expected.of(calls);
    assertEquals(
        expected.slowest(), ids(metrics, PERSIST_SECONDS, OUTCOME, "success"), calls.toString());
    assertEquals(
        expected.latestFailure(),
        ids(metrics, PERSIST_SECONDS, OUTCOME, "error"),
        calls.toString());
    assertEquals(
        Set.of(expected.latestFailureOfAll()),
        ids(metrics, PERSIST_ERRORS_TOTAL, ERROR_TYPE, "timeout"),
        calls.toString());
    MetricPoint success = metrics.latest(PERSIST_SECONDS, OUTCOME, "success").orElseThrow();
    for (ReceivedExemplar exemplar : success.exemplars()) {
      String ids = exemplar.traceId() + "/" + exemplar.spanId();
      Call call = calls.stream().filter(c -> c.ids().equals(ids)).findFirst().orElseThrow();
      // The agent's timing of the call encloses the body's.
      double body = call.nanos() / 1e9;
      assertTrue(
          exemplar.value() >= body && exemplar.value() < body + 0.005, exemplar + " " + call);
      assertTrue(exemplar.timeUnixNano() > success.startTimeUnixNano(), exemplar.toString());
    }
  }

  private static Set<String> ids(MetricsView metrics, String name, String key, String value) {
    MetricPoint point = metrics
        .latest(name, key, value)
        .orElseThrow(() -> new AssertionError("no " + name + " " + value));
    return point.exemplars().stream()
        .map(e -> e.traceId() + "/" + e.spanId())
        .collect(Collectors.toSet());
  }
}
