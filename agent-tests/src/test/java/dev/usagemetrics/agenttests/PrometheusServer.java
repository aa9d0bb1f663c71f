package dev.usagemetrics.agenttests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.usagemetrics.testkit.Polling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server ({@code /usr/bin/prometheus}, Debian's package; {@code
 * -Dprometheus.binary} names another) started as a child process on loopback with a
 * configuration of the test's, and queried through its HTTP API. Close it to stop it.
 */
final class PrometheusServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int LOG_TAIL_CHARS = 4_000;

  private final Process process;
  private final Path log;
  private final URI api;
  private final Thread killOnExit;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, Path log, URI api) {
    this.process = process;
    this.log = log;
    this.api = api;
    // A test JVM that dies before close() must not leave a Prometheus holding ports behind.
    this.killOnExit = new Thread(process::destroyForcibly, "kill prometheus " + process.pid());
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts Prometheus in {@code dir} with {@code configYaml} as its {@code prometheus.yml} (rule
   * files named there are resolved relative to {@code dir}) and waits until it is ready.
   */
  static PrometheusServer start(Path dir, String configYaml, String... flags) throws IOException {
    Path binary = binary();
    Path config = Files.writeString(dir.resolve("prometheus.yml"), configYaml);
    Path log = dir.resolve("prometheus.log");
    String address = "127.0.0.1:" + AgentHarness.freePort();
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=" + address));
    command.addAll(List.of(flags));
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    PrometheusServer server =
        new PrometheusServer(process, log, URI.create("http://" + address + "/"));
    try {
      Polling.await(
          START_TIMEOUT, server::ready, () -> "Prometheus did not become ready" + server.logTail());
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The Prometheus binary. Where there is none, the calling test is skipped, or fails under
   * {@code CI=true} (see {@link MissingTool}).
   */
  private static Path binary() {
    Path binary = Path.of(System.getProperty("prometheus.binary", "/usr/bin/prometheus"));
    if (Files.isExecutable(binary)) {
      return binary;
    }
    return MissingTool.skipOrFail(
        "the tests that run a real Prometheus",
        "Prometheus not found at " + binary
            + "; to run them, install it (Debian: apt-get install prometheus) or name it with -Dprometheus.binary");
  }

  /** One sample of an instant query's result: the series' labels and its value. */
  record Sample(Map<String, String> labels, double value) {
    String label(String name) {
      return labels.get(name);
    }
  }

  /** Evaluates {@code promql} at {@code time}; fails if Prometheus refuses the expression. */
  List<Sample> query(String promql, Instant time) {
    String at = BigDecimal.valueOf(time.toEpochMilli(), 3).toPlainString();
    JsonObject data =
        get("api/v1/query?query=" + encode(promql) + "&time=" + at, promql).getAsJsonObject();
    List<Sample> samples = new ArrayList<>();
    switch (data.get("resultType").getAsString()) {
      case "vector" -> {
        for (JsonElement element : data.getAsJsonArray("result")) {
          JsonObject series = element.getAsJsonObject();
          samples.add(new Sample(
              labels(series.getAsJsonObject("metric")), number(series.getAsJsonArray("value"))));
        }
      }
      case "scalar" -> samples.add(new Sample(Map.of(), number(data.getAsJsonArray("result"))));
      default -> throw new AssertionError("unexpected result " + data + " of " + promql);
    }
    return samples;
  }

  /** One stored exemplar: the series it belongs to, its own labels (trace_id, span_id) and value. */
  record StoredExemplar(
      Map<String, String> seriesLabels, Map<String, String> labels, double value) {}

  /** The exemplars of the series {@code promql} selects, stored between {@code start} and {@code end}. */
  List<StoredExemplar> exemplars(String promql, Instant start, Instant end) {
    JsonArray data = get(
            "api/v1/query_exemplars?query=" + encode(promql)
                + "&start=" + BigDecimal.valueOf(start.toEpochMilli(), 3).toPlainString()
                + "&end=" + BigDecimal.valueOf(end.toEpochMilli(), 3).toPlainString(),
            promql)
        .getAsJsonArray();
    List<StoredExemplar> exemplars = new ArrayList<>();
    for (JsonElement series : data) {
      Map<String, String> seriesLabels =
          labels(series.getAsJsonObject().getAsJsonObject("seriesLabels"));
      for (JsonElement exemplar : series.getAsJsonObject().getAsJsonArray("exemplars")) {
        JsonObject stored = exemplar.getAsJsonObject();
        exemplars.add(new StoredExemplar(
            seriesLabels,
            labels(stored.getAsJsonObject("labels")),
            Double.parseDouble(stored.get("value").getAsString())));
      }
    }
    return exemplars;
  }

  /** The values of {@code label} on the series {@code selector} selects (what Grafana's label_values asks). */
  List<String> labelValues(String label, String selector) {
    List<String> values = new ArrayList<>();
    get("api/v1/label/" + label + "/values?" + encode("match[]") + "=" + encode(selector), selector)
        .getAsJsonArray()
        .forEach(value -> values.add(value.getAsString()));
    return values;
  }

  /** Every loaded rule, recording and alerting, as {@code /api/v1/rules} describes it. */
  List<JsonObject> rules() {
    List<JsonObject> rules = new ArrayList<>();
    for (JsonElement group : ruleGroups()) {
      group
          .getAsJsonObject()
          .getAsJsonArray("rules")
          .forEach(rule -> rules.add(rule.getAsJsonObject()));
    }
    return rules;
  }

  /** When the rule group evaluated least recently was last evaluated: every rule has run since. */
  Instant allRulesEvaluatedAt() {
    Instant oldest = Instant.MAX;
    for (JsonElement group : ruleGroups()) {
      Instant evaluated =
          Instant.parse(group.getAsJsonObject().get("lastEvaluation").getAsString());
      oldest = evaluated.isBefore(oldest) ? evaluated : oldest;
    }
    return oldest;
  }

  /** The scrape targets Prometheus currently scrapes, as {@code /api/v1/targets} describes them. */
  List<JsonObject> activeTargets() {
    List<JsonObject> targets = new ArrayList<>();
    get("api/v1/targets?state=active", "targets")
        .getAsJsonObject()
        .getAsJsonArray("activeTargets")
        .forEach(target -> targets.add(target.getAsJsonObject()));
    return targets;
  }

  /** The end of Prometheus' own log, for failure messages. */
  String logTail() {
    try {
      String text = Files.readString(log);
      return "\n--- prometheus log (tail) ---\n"
          + (text.length() <= LOG_TAIL_CHARS
              ? text
              : "..." + text.substring(text.length() - LOG_TAIL_CHARS));
    } catch (IOException e) {
      return "\n(no prometheus log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    Runtime.getRuntime().removeShutdownHook(killOnExit);
  }

  private boolean ready() {
    if (!process.isAlive()) {
      throw new AssertionError("Prometheus exited with " + process.exitValue() + logTail());
    }
    try {
      return send("-/ready").statusCode() == 200;
    } catch (IOException notListeningYet) {
      return false;
    }
  }

  private JsonArray ruleGroups() {
    return get("api/v1/rules", "rules").getAsJsonObject().getAsJsonArray("groups");
  }

  /** The {@code data} of a successful API answer; anything else fails, naming {@code what} was asked. */
  private JsonElement get(String path, String what) {
    HttpResponse<String> response;
    try {
      response = send(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Prometheus API " + path, e);
    }
    JsonObject answer = JsonParser.parseString(response.body()).getAsJsonObject();
    if (response.statusCode() != 200 || !"success".equals(answer.get("status").getAsString())) {
      throw new AssertionError(
          "Prometheus refused " + what + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return answer.get("data");
  }

  private HttpResponse<String> send(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(api.resolve(path))
        .timeout(Duration.ofSeconds(10))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static Map<String, String> labels(JsonObject metric) {
    Map<String, String> labels = new TreeMap<>();
    metric
        .entrySet()
        .forEach(label -> labels.put(label.getKey(), label.getValue().getAsString()));
    return labels;
  }

  /** A {@code [timestamp, "value"]} pair; Prometheus writes infinities as {@code +Inf}/{@code -Inf}. */
  private static double number(JsonArray pair) {
    return Double.parseDouble(pair.get(1).getAsString().replace("Inf", "Infinity"));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
