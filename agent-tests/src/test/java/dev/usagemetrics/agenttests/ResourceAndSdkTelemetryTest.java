package dev.usagemetrics.agenttests;

import static dev.usagemetrics.agenttests.AgentHarness.run;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS_BOUNDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.ReceivedRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a collector learns about the sender besides the three metrics: the standard host, OS,
 * process and runtime resource attributes (overridable with {@code OTEL_RESOURCE_ATTRIBUTES},
 * providers disabled with {@code OTEL_JAVA_DISABLED_RESOURCE_PROVIDERS}); the SDK's metrics about
 * itself only when {@code export.sdk_telemetry} asks, under scope names without the agent's
 * relocation prefix; and an exponential-histogram preference refused out loud.
 */
class ResourceAndSdkTelemetryTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final String SHADED_PREFIX = "dev.usagemetrics.agent.shaded.";

  @TempDir
  Path dir;

  @Test
  void byDefaultTheStandardResourceAttributesCarryOnlyTheThreeMetrics() throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      // Exports every 500 ms while the target lingers, so the SDK's own metrics would have had
      // several exports to appear in (they record what the previous export did).
      Path config = AgentHarness.writeConfig(
          dir, "agent.yaml", AgentHarness.exampleTargetConfig(receiver, "500ms"));
      long pid;
      try (ChildJvm app = AgentHarness.jvmWithAgent("resource-default", config)
          .jar(AgentHarness.exampleJar())
          .args(
              "--calls",
              "200",
              "--invalid",
              "20",
              "--timeouts",
              "0",
              "--duplicates",
              "0",
              "--mode",
              "queue",
              "--threads",
              "2",
              "--leave-pending",
              "3",
              "--linger",
              "2s")
          .start()) {
        assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
        pid = app.pid();
      }
      MetricsView metrics = receiver.metrics();
      assertTrue(receiver.requestCount() >= 3, "several exports: " + receiver.requestCount());
      assertEquals(
          Set.of(PERSIST_SECONDS, PERSIST_ERRORS_TOTAL, QUEUE_SIZE), metrics.metricNames());
      assertEquals(
          Set.of("dev.usagemetrics.agent"),
          metrics.points().stream().map(MetricPoint::scopeName).collect(Collectors.toSet()));

      assertEquals(1, metrics.resources().size());
      Map<String, Object> resource = metrics.resources().get(0);
      Path javaHome = AgentHarness.childJavaHome();
      assertEquals(
          InetAddress.getLocalHost().getHostName(), resource.get("host.name"), resource.toString());
      assertEquals("amd64", resource.get("host.arch"));
      assertEquals("linux", resource.get("os.type"));
      assertTrue(
          String.valueOf(resource.get("os.description")).startsWith("Linux "), resource.toString());
      assertEquals(pid, resource.get("process.pid"));
      assertEquals(
          javaHome.resolve("bin/java").toString(), resource.get("process.executable.path"));
      assertEquals(
          releaseValue(javaHome, "JAVA_RUNTIME_VERSION"), resource.get("process.runtime.version"));
      assertTrue(
          String.valueOf(resource.get("process.runtime.name")).contains("Runtime Environment"),
          resource.toString());
      assertTrue(resource.containsKey("process.runtime.description"), resource.toString());
      assertEquals("agent-tests", resource.get("service.name"));
      assertTrue(
          resource.keySet().stream().noneMatch(key -> key.startsWith("process.command")),
          "never the command line: " + resource);
    }
  }

  @Test
  void userSettingsOverrideAndDisableAndTheSdkTelemetryComesUnderItsOwnNames() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.stepTargetConfig(AgentHarness.concat(
              AgentHarness.exportTo(receiver, "500ms"), new String[] {"  sdk_telemetry: true"})));
      try (ChildJvm app = AgentHarness.startStepTarget(AgentHarness.stepTarget(
              "resource-overridden", config)
          .env("OTEL_RESOURCE_ATTRIBUTES", "host.name=edge-7,deployment.environment.name=staging")
          .env(
              "OTEL_JAVA_DISABLED_RESOURCE_PROVIDERS",
              "dev.usagemetrics.agent.export.resource.ProcessResourceProvider")
          .env(
              "OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION",
              "base2_exponential_bucket_histogram"))) {
        Map<String, Long> work = run(app, "work", 1500);
        ExportedTotals.awaitExactly(receiver.metrics(), work, ARRIVAL);
        MetricsView metrics = receiver.metrics();
        receiver.awaitRequestCount(receiver.requestCount() + 2, ARRIVAL);
        app.sendLine("exit");
        assertEquals(0, app.waitFor(ARRIVAL), app.stderr());

        Map<String, Object> resource = metrics.resources().get(0);
        assertEquals(
            "edge-7",
            resource.get("host.name"),
            "OTEL_RESOURCE_ATTRIBUTES wins over what is detected");
        assertEquals("staging", resource.get("deployment.environment.name"));
        assertFalse(
            resource.containsKey("process.pid"),
            "the disabled provider detected nothing: " + resource);
        assertFalse(resource.containsKey("process.executable.path"), resource.toString());
        assertEquals("linux", resource.get("os.type"), "the other providers still apply");

        // Read from the requests themselves: the SDK's own histogram follows the exponential
        // preference, a kind the metrics view does not read.
        Map<String, Set<String>> namesByScope = namesByScope(receiver);
        assertTrue(namesByScope.containsKey("dev.usagemetrics.agent"), namesByScope.toString());
        assertTrue(
            namesByScope.keySet().stream().noneMatch(scope -> scope.startsWith(SHADED_PREFIX)),
            "no relocated scope name: " + namesByScope);
        Set<String> sdkMetrics = namesByScope.entrySet().stream()
            .filter(e -> e.getKey().startsWith("io.opentelemetry."))
            .flatMap(e -> e.getValue().stream())
            .collect(Collectors.toSet());
        Set<String> expectedSdkMetrics =
            Set.of("otel.sdk.metric_reader.collection.duration", "otlp.exporter.exported");
        assertTrue(
            sdkMetrics.containsAll(expectedSdkMetrics),
            "the SDK's own metrics arrived: " + namesByScope);

        List<String> warnings = AgentHarness.agentLogLines(app, "WARN");
        assertEquals(1, warnings.size(), app.stderr());
        assertTrue(
            warnings.get(0).contains("OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION")
                && warnings.get(0).contains("does not apply"),
            warnings.get(0));
        MetricPoint histogram =
            metrics.latest(PERSIST_SECONDS, "outcome", "success").orElseThrow();
        assertEquals(
            Metric.DataCase.HISTOGRAM, histogram.type(), "still the explicit-bucket histogram");
        assertEquals(PERSIST_SECONDS_BOUNDS, histogram.explicitBounds());
      }
    }
  }

  /** The metric names that arrived in accepted requests, by instrumentation scope name. */
  private static Map<String, Set<String>> namesByScope(OtlpReceiver receiver) {
    Map<String, Set<String>> names = new TreeMap<>();
    for (ReceivedRequest request : receiver.requests()) {
      for (ResourceMetrics resource : request.body().getResourceMetricsList()) {
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          scope
              .getMetricsList()
              .forEach(metric -> names
                  .computeIfAbsent(scope.getScope().getName(), name -> new TreeSet<>())
                  .add(metric.getName()));
        }
      }
    }
    return names;
  }

  /** A value of the JDK's {@code release} file, e.g. {@code JAVA_RUNTIME_VERSION}. */
  private static String releaseValue(Path javaHome, String key) throws IOException {
    return Files.readAllLines(javaHome.resolve("release")).stream()
        .filter(line -> line.startsWith(key + "="))
        .map(line -> line.substring(key.length() + 1).replace("\"", ""))
        .findFirst()
        .orElseThrow(() -> new AssertionError(key + " not in " + javaHome.resolve("release")));
  }
}
