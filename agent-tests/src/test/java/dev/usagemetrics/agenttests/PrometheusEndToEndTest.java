package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.usagemetrics.agenttests.GrafanaDashboard.LabelValuesVariable;
import dev.usagemetrics.agenttests.GrafanaDashboard.PanelQuery;
import dev.usagemetrics.agenttests.PrometheusServer.Sample;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.Polling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator side proven in a real Prometheus (2.42, Debian's package): the example target runs
 * under the agent with only its Prometheus endpoint, Prometheus scrapes it directly (service_name
 * from a static label, as config/prometheus/prometheus.yml describes) and evaluates
 * config/prometheus/rules.yml; then every rule and every dashboard query is evaluated through the
 * HTTP API and must show what the application itself counted.
 *
 * <p>The workload is built so that every expectation is a matter of counting, not of timing:
 * 1.5 % of the calls are lock timeouts that each wait out H2's 150 ms lock timeout (one writer
 * thread, so never longer than that plus the call), everything else is an in-memory database call
 * far below 0.1 s; so the p99 lies in the (0.1, 0.5] bucket. 8.5 % of the calls fail, most of them
 * in the last phases, so the error ratio exceeds the 5 % alert threshold over any part of the run.
 */
class PrometheusEndToEndTest {

  private static final String SERVICE = "prometheus-e2e";
  private static final long CALLS = 1000;
  private static final long INVALID = 50;
  private static final long TIMEOUTS = 15;
  private static final long DUPLICATES = 20;
  private static final long PENDING = 25;
  private static final long ERRORS = INVALID + TIMEOUTS + DUPLICATES;

  /** The bucket bounds as the agent writes them (le="1.0", not "1"): the rules match on none. */
  private static final Set<String> LE_VALUES =
      Set.of("0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1.0", "+Inf");

  /** Scrape and rule evaluation interval: several scrapes while the lock timeouts happen. */
  private static final Duration SCRAPE_INTERVAL = Duration.ofMillis(500);

  /**
   * The rate window put in for Grafana's $__rate_interval: the rules' own, so panel and rule expression agree
   * exactly.
   */
  private static final String RATE_INTERVAL = "5m";

  private static final String BUCKET_RATES =
      "service_name_le:llm_usage_persist_seconds_bucket:rate5m";
  private static final String P50 = "service_name:llm_usage_persist_seconds:p50_rate5m";
  private static final String P95 = "service_name:llm_usage_persist_seconds:p95_rate5m";
  private static final String P99 = "service_name:llm_usage_persist_seconds:p99_rate5m";
  private static final String CALL_RATE_BY_OUTCOME =
      "service_name_outcome:llm_usage_persist_calls:rate5m";
  private static final String CALL_RATE = "service_name:llm_usage_persist_calls:rate5m";
  private static final String ERROR_RATE_BY_TYPE =
      "service_name_error_type:llm_usage_persist_errors:rate5m";
  private static final String ERROR_RATIO = "service_name:llm_usage_persist_error_ratio:rate5m";
  private static final String INSTANCE_BACKLOG =
      "service_name_instance:llm_usage_persist_queue_size:sum";
  private static final String INSTANCE_BACKLOG_DERIV =
      "service_name_instance:llm_usage_persist_queue_size:deriv10m";
  private static final String SERVICE_BACKLOG = "service_name:llm_usage_persist_queue_size:sum";
  private static final String LATENCY_ALERT = "LlmUsagePersistLatencyP99High";
  private static final String ERROR_RATIO_ALERT = "LlmUsagePersistErrorRatioHigh";
  private static final String BACKLOG_ALERT = "LlmUsagePersistBacklogGrowing";
  private static final String ABSENT_ALERT = "LlmUsagePersistMetricsAbsent";

  private static final Set<String> RULES = Set.of(
      BUCKET_RATES,
      P50,
      P95,
      P99,
      CALL_RATE_BY_OUTCOME,
      CALL_RATE,
      ERROR_RATE_BY_TYPE,
      ERROR_RATIO,
      INSTANCE_BACKLOG,
      INSTANCE_BACKLOG_DERIV,
      SERVICE_BACKLOG,
      LATENCY_ALERT,
      ERROR_RATIO_ALERT,
      BACKLOG_ALERT,
      ABSENT_ALERT);

  /** The dashboard's queries, as "panel title / refId". */
  private static final String P50_PANEL = "Persist latency p50 / p95 / p99 / A";

  private static final String P95_PANEL = "Persist latency p50 / p95 / p99 / B";
  private static final String P99_PANEL = "Persist latency p50 / p95 / p99 / C";
  private static final String RATE_PANEL = "Persist rate by outcome / A";
  private static final String ERROR_RATE_PANEL = "Error rate by error_type / A";
  private static final String SUCCESS_RATIO_PANEL = "Success ratio / A";
  private static final String BACKLOG_PANEL = "Queue backlog / A";

  @TempDir
  Path dir;

  @Test
  void everyRuleAndDashboardQueryShowsTheWorkload() throws Exception {
    int agentPort = AgentHarness.freePort();
    String target = "127.0.0.1:" + agentPort;
    Files.copy(AgentHarness.configDir().resolve("prometheus/rules.yml"), dir.resolve("rules.yml"));
    Path agentConfig = AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.exampleTargetConfig(AgentHarness.prometheusEndpoint(agentPort)));
    GrafanaDashboard dashboard = GrafanaDashboard.read(
        AgentHarness.configDir().resolve("grafana/usage-persistence-dashboard.json"));

    // Prometheus first, so that it scrapes the endpoint from the moment the agent opens it.
    try (PrometheusServer prometheus = PrometheusServer.start(dir, scrapeConfig(target));
        ChildJvm app = AgentHarness.jvmWithAgent("example-prometheus", agentConfig)
            .jar(AgentHarness.exampleJar())
            .args(
                "--calls",
                Long.toString(CALLS),
                "--invalid",
                Long.toString(INVALID),
                "--timeouts",
                Long.toString(TIMEOUTS),
                "--duplicates",
                Long.toString(DUPLICATES),
                "--mode",
                "queue",
                "--writers",
                "1",
                "--lock-timeout-ms",
                "150",
                "--leave-pending",
                Long.toString(PENDING),
                "--linger",
                "3m",
                // Scraped before the first call, so rate() sees the workload's increases.
                "--start-delay",
                "3s")
            .start()) {
      Map<String, Long> workload =
          AgentHarness.awaitReportLine(app, "WORKLOAD", Duration.ofSeconds(120));
      assertEquals(
          Map.of(
              "success",
              CALLS - ERRORS,
              "validation",
              INVALID,
              "timeout",
              TIMEOUTS,
              "duplicate",
              DUPLICATES,
              "other",
              0L,
              "queue_remaining",
              PENDING),
          AgentHarness.entries(
              workload,
              "success",
              "validation",
              "timeout",
              "duplicate",
              "other",
              "queue_remaining"),
          "the example target itself must have produced the planned mix");
      assertFalse(app.stderr().contains("ERROR"), app.stderr());

      Instant at = awaitFinalState(prometheus, target, workload);

      JsonObject scrape = scrapeTarget(prometheus, target);
      assertEquals(
          "up",
          scrape.get("health").getAsString(),
          "the agent's endpoint must parse as Prometheus text: " + scrape);
      assertEquals("", scrape.get("lastError").getAsString());

      assertEquals(
          LE_VALUES,
          prometheus
              .query("llm_usage_persist_seconds_bucket{instance=\"" + target + "\"}", at)
              .stream()
              .map(s -> s.label("le"))
              .collect(Collectors.toSet()));
      String allCalls = "sum(llm_usage_persist_seconds_bucket{le=\"+Inf\"})";
      assertEquals(CALLS, single(allCalls, prometheus.query(allCalls, at)));
      // Every lock timeout waited out the 150 ms lock timeout: above the 0.1 s bound.
      String slowErrorCalls = "sum(llm_usage_persist_seconds_count{outcome=\"error\"})"
          + " - sum(llm_usage_persist_seconds_bucket{outcome=\"error\", le=\"0.1\"})";
      double slowErrors = single(slowErrorCalls, prometheus.query(slowErrorCalls, at));
      assertTrue(
          slowErrors >= TIMEOUTS,
          slowErrors + " error calls above 0.1 s; " + TIMEOUTS + " lock timeouts");

      Map<String, List<Sample>> rules = evaluateRules(prometheus, at);
      assertRules(rules, prometheus, at, target);
      assertDashboard(dashboard, prometheus, at, target, rules);
      assertRuleEngine(prometheus, rules);
    }
  }

  /**
   * Waits until what Prometheus scraped equals exactly what the application counted, then for two
   * more scrapes (rate() needs two samples of a series, and the newest, the duplicates' db_error,
   * may just have appeared) and for every rule group to have run on them. Returns that moment.
   */
  private static Instant awaitFinalState(
      PrometheusServer prometheus, String target, Map<String, Long> workload) {
    String series = "{service_name=\"" + SERVICE + "\", instance=\"" + target + "\"}";
    awaitEquals(
        Map.of(
            "success",
            (double) workload.get("success"),
            "error",
            (double) ERRORS,
            "validation",
            (double) workload.get("validation"),
            "timeout",
            (double) workload.get("timeout"),
            "db_error",
            (double) workload.get("duplicate"),
            "queue",
            (double) workload.get("queue_remaining")),
        () -> {
          Instant now = Instant.now();
          Map<String, Double> scraped = new TreeMap<>();
          scraped.putAll(byLabel(
              prometheus.query("llm_usage_persist_seconds_count" + series, now), "outcome"));
          scraped.putAll(byLabel(
              prometheus.query("llm_usage_persist_errors_total" + series, now), "error_type"));
          prometheus
              .query("llm_usage_persist_queue_size" + series, now)
              .forEach(sample -> scraped.put("queue", sample.value()));
          return scraped;
        },
        "scraped totals (outcome, error_type, queue)");
    Instant scrapedFinal = Instant.now();
    awaitEquals(
        true,
        () -> lastScrape(prometheus, target)
            .isAfter(scrapedFinal.plus(SCRAPE_INTERVAL.multipliedBy(2))),
        "two more scrapes");
    Instant scrapedAgain = Instant.now();
    awaitEquals(
        true,
        () -> prometheus.allRulesEvaluatedAt().isAfter(scrapedAgain),
        "rule evaluation after the last scrapes");
    return Instant.now();
  }

  /**
   * Every loaded rule's expression evaluated at {@code at}, by rule name; the rules must be the ones this test
   * knows.
   */
  private static Map<String, List<Sample>> evaluateRules(PrometheusServer prometheus, Instant at) {
    Map<String, List<Sample>> results = new TreeMap<>();
    for (JsonObject rule : prometheus.rules()) {
      String name = rule.get("name").getAsString();
      results.put(name, prometheus.query(rule.get("query").getAsString(), at));
      System.out.println("[prometheus] " + name + " = " + results.get(name));
    }
    assertEquals(RULES, results.keySet(), "rules.yml and this test must cover the same rules");
    return results;
  }

  /**
   * Checks each rule expression's result against the workload. Rules built on recorded series
   * (the quantiles, the alerts) are checked against those recorded series as they are at {@code at}.
   */
  private static void assertRules(
      Map<String, List<Sample>> rules, PrometheusServer prometheus, Instant at, String target) {
    Map<Double, Double> bucketRates = bucketRates(rules.get(BUCKET_RATES));
    Map<Double, Double> recordedBucketRates = bucketRates(prometheus.query(BUCKET_RATES, at));
    for (Map<Double, Double> rates : List.of(bucketRates, recordedBucketRates)) {
      assertEquals(
          List.of(0.1, 0.5),
          bucket(0.99, rates),
          "the lock timeouts' bucket holds the p99: " + rates);
    }
    assertInBucket(0.50, single(rules, P50), recordedBucketRates);
    assertInBucket(0.95, single(rules, P95), recordedBucketRates);
    assertInBucket(0.99, single(rules, P99), recordedBucketRates);

    Map<String, Double> callRates = byLabel(rules.get(CALL_RATE_BY_OUTCOME), "outcome");
    assertEquals(Set.of("success", "error"), callRates.keySet());
    assertTrue(
        callRates.get("error") > 0, "lock timeouts failed while Prometheus scraped: " + callRates);
    double callRate = single(rules, CALL_RATE);
    assertEquals(callRates.get("success") + callRates.get("error"), callRate, 1e-9 * callRate);

    Map<String, Double> errorRates = byLabel(rules.get(ERROR_RATE_BY_TYPE), "error_type");
    assertEquals(
        Set.of("validation", "timeout", "db_error"),
        errorRates.keySet(),
        "one series per error_type the workload produced");
    errorRates.values().forEach(rate -> assertTrue(rate >= 0, errorRates.toString()));

    double errorRatio = single(rules, ERROR_RATIO);
    assertEquals(callRates.get("error") / callRate, errorRatio, 1e-9);
    assertTrue(errorRatio > 0.05 && errorRatio <= 1, "error ratio " + errorRatio);

    assertEquals(
        List.of(target),
        rules.get(INSTANCE_BACKLOG).stream().map(s -> s.label("instance")).toList());
    assertEquals(PENDING, single(rules, INSTANCE_BACKLOG));
    assertTrue(Double.isFinite(single(rules, INSTANCE_BACKLOG_DERIV)));
    assertEquals(PENDING, single(rules, SERVICE_BACKLOG));

    // Alert expressions: data exactly when the recorded value crosses the threshold.
    double recordedP99 = single("recorded " + P99, prometheus.query(P99, at));
    assertTrue(recordedP99 <= 0.5, "recorded p99 " + recordedP99);
    assertEquals(List.of(), rules.get(LATENCY_ALERT), "p99 " + recordedP99 + " is not above 0.5 s");
    double recordedRatio = single("recorded " + ERROR_RATIO, prometheus.query(ERROR_RATIO, at));
    assertTrue(recordedRatio > 0.05, "recorded error ratio " + recordedRatio);
    assertEquals(recordedRatio, single(rules, ERROR_RATIO_ALERT), "the error ratio is above 5 %");
    assertEquals(
        PENDING, single("recorded " + INSTANCE_BACKLOG, prometheus.query(INSTANCE_BACKLOG, at)));
    assertEquals(
        List.of(), rules.get(BACKLOG_ALERT), PENDING + " pending records are not above 100");
    assertEquals(List.of(), rules.get(ABSENT_ALERT), "the metrics are there");
  }

  /**
   * Every panel query, for one service and instance picked and for "All" ({@code .*}), agrees with
   * the rule expression behind it; the variables offer exactly the service and the instance scraped.
   */
  private static void assertDashboard(
      GrafanaDashboard dashboard,
      PrometheusServer prometheus,
      Instant at,
      String target,
      Map<String, List<Sample>> rules) {
    Map<Double, Double> bucketRates = bucketRates(rules.get(BUCKET_RATES));
    for (Map<String, String> picked : List.of(
        Map.of("service_name", SERVICE, "instance", target, "__rate_interval", RATE_INTERVAL),
        Map.of("service_name", ".*", "instance", ".*", "__rate_interval", RATE_INTERVAL))) {
      Map<String, List<Sample>> panels = new TreeMap<>();
      for (PanelQuery query : dashboard.panelQueries()) {
        panels.put(
            query.name(), prometheus.query(GrafanaDashboard.resolve(query.expr(), picked), at));
      }
      assertEquals(
          Set.of(
              P50_PANEL,
              P95_PANEL,
              P99_PANEL,
              RATE_PANEL,
              ERROR_RATE_PANEL,
              SUCCESS_RATIO_PANEL,
              BACKLOG_PANEL),
          panels.keySet(),
          "the dashboard and this test must cover the same queries");
      String with = " with " + picked;
      assertInBucket(0.50, single(panels, P50_PANEL), bucketRates);
      assertInBucket(0.95, single(panels, P95_PANEL), bucketRates);
      assertInBucket(0.99, single(panels, P99_PANEL), bucketRates);
      assertEquals(
          byLabel(rules.get(CALL_RATE_BY_OUTCOME), "outcome"),
          byLabel(panels.get(RATE_PANEL), "outcome"),
          with);
      assertEquals(
          byLabel(rules.get(ERROR_RATE_BY_TYPE), "error_type"),
          byLabel(panels.get(ERROR_RATE_PANEL), "error_type"),
          with);
      assertEquals(
          1 - single(rules, ERROR_RATIO),
          single(panels, SUCCESS_RATIO_PANEL),
          1e-12,
          SUCCESS_RATIO_PANEL + with);
      assertEquals(
          List.of(target),
          panels.get(BACKLOG_PANEL).stream().map(s -> s.label("instance")).toList(),
          with);
      assertEquals(PENDING, single(panels, BACKLOG_PANEL), BACKLOG_PANEL + with);
    }

    Map<String, List<String>> offered = new TreeMap<>();
    for (LabelValuesVariable variable : dashboard.variables()) {
      String selector =
          GrafanaDashboard.resolve(variable.selector(), Map.of("service_name", SERVICE));
      offered.put(variable.name(), prometheus.labelValues(variable.label(), selector));
    }
    assertEquals(Map.of("service_name", List.of(SERVICE), "instance", List.of(target)), offered);
  }

  /**
   * Prometheus' own rule evaluation agrees: each rule healthy, each recording rule records the
   * series its expression yields, the error-ratio alert pending (it must hold for 10 minutes
   * before it fires), every other alert inactive.
   */
  private static void assertRuleEngine(
      PrometheusServer prometheus, Map<String, List<Sample>> evaluated) {
    Map<String, String> expected = new TreeMap<>();
    evaluated.forEach((name, samples) -> expected.put(name, "ok, " + samples.size() + " series"));
    expected.put(LATENCY_ALERT, "ok, inactive");
    expected.put(ERROR_RATIO_ALERT, "ok, pending");
    expected.put(BACKLOG_ALERT, "ok, inactive");
    expected.put(ABSENT_ALERT, "ok, inactive");
    Map<String, JsonObject> rules = new TreeMap<>();
    awaitEquals(
        expected,
        () -> {
          Instant now = Instant.now();
          Map<String, String> actual = new TreeMap<>();
          for (JsonObject rule : prometheus.rules()) {
            String name = rule.get("name").getAsString();
            rules.put(name, rule);
            String lastError =
                rule.has("lastError") ? " " + rule.get("lastError").getAsString() : "";
            actual.put(
                name,
                rule.get("health").getAsString() + lastError + ", "
                    + ("alerting".equals(rule.get("type").getAsString())
                        ? rule.get("state").getAsString()
                        : prometheus.query(name, now).size() + " series"));
          }
          return actual;
        },
        "rule evaluation");

    JsonObject alert =
        rules.get(ERROR_RATIO_ALERT).getAsJsonArray("alerts").get(0).getAsJsonObject();
    assertEquals(SERVICE, alert.getAsJsonObject("labels").get("service_name").getAsString());
    assertEquals("critical", alert.getAsJsonObject("labels").get("severity").getAsString());
    JsonElement summary = alert.getAsJsonObject("annotations").get("summary");
    assertTrue(
        summary.getAsString().matches(SERVICE + " fails [0-9.]+% of usage-persist calls"),
        summary.toString());
  }

  private static JsonObject scrapeTarget(PrometheusServer prometheus, String target) {
    return prometheus.activeTargets().stream()
        .filter(t -> t.getAsJsonObject("labels").get("instance").getAsString().equals(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError("Prometheus does not scrape " + target));
  }

  private static Instant lastScrape(PrometheusServer prometheus, String target) {
    return Instant.parse(scrapeTarget(prometheus, target).get("lastScrape").getAsString());
  }

  private static String scrapeConfig(String target) {
    return String.join(
        "\n",
        "global:",
        "  scrape_interval: " + SCRAPE_INTERVAL.toMillis() + "ms",
        "  scrape_timeout: " + SCRAPE_INTERVAL.toMillis() + "ms",
        "  evaluation_interval: " + SCRAPE_INTERVAL.toMillis() + "ms",
        "rule_files:",
        "  - rules.yml",
        "scrape_configs:",
        "  # The agent's own endpoint, scraped directly: service_name comes from the target group.",
        "  - job_name: llm-usage-agent",
        "    static_configs:",
        "      - targets: [\"" + target + "\"]",
        "        labels:",
        "          service_name: " + SERVICE,
        "");
  }

  /** A bucket-rate result ({@code le} label → value), by upper bound. */
  private static Map<Double, Double> bucketRates(List<Sample> buckets) {
    Map<Double, Double> rates = new TreeMap<>();
    for (Sample bucket : buckets) {
      assertEquals(SERVICE, bucket.label("service_name"));
      rates.put(Double.parseDouble(bucket.label("le").replace("Inf", "Infinity")), bucket.value());
    }
    assertEquals(LE_VALUES.size(), rates.size(), buckets.toString());
    return rates;
  }

  /**
   * The bucket {@code [lower, upper]} that holds quantile {@code q} of the cumulative {@code bucketRates}, as
   * histogram_quantile finds it.
   */
  private static List<Double> bucket(double q, Map<Double, Double> bucketRates) {
    double rank = q * bucketRates.get(Double.POSITIVE_INFINITY);
    double lower = 0;
    for (Map.Entry<Double, Double> bucket : bucketRates.entrySet()) {
      if (bucket.getValue() >= rank || bucket.getKey() == Double.POSITIVE_INFINITY) {
        return List.of(lower, bucket.getKey());
      }
      lower = bucket.getKey();
    }
    throw new AssertionError("no +Inf bucket in " + bucketRates);
  }

  private static void assertInBucket(double q, double value, Map<Double, Double> bucketRates) {
    List<Double> bucket = bucket(q, bucketRates);
    String message =
        "quantile " + q + " = " + value + " must lie in " + bucket + " of " + bucketRates;
    if (bucket.get(1) == Double.POSITIVE_INFINITY) {
      assertEquals(
          bucket.get(0), value, message); // histogram_quantile's answer for the overflow bucket
    } else {
      assertTrue(value > bucket.get(0) && value <= bucket.get(1), message);
    }
  }

  private static double single(Map<String, List<Sample>> results, String name) {
    return single(name, results.get(name));
  }

  /** The value of the only sample of {@code what}, which must belong to the test's service if it names one. */
  private static double single(String what, List<Sample> samples) {
    assertEquals(1, samples.size(), what + ": one series expected, got " + samples);
    Sample sample = samples.get(0);
    if (sample.labels().containsKey("service_name")) {
      assertEquals(SERVICE, sample.label("service_name"));
    }
    return sample.value();
  }

  private static Map<String, Double> byLabel(List<Sample> samples, String label) {
    Map<String, Double> values = new TreeMap<>();
    for (Sample sample : samples) {
      if (values.put(sample.label(label), sample.value()) != null) {
        throw new AssertionError(
            "two series with " + label + "=" + sample.label(label) + ": " + samples);
      }
    }
    return values;
  }

  /** Polls {@code actual} until it equals {@code expected}; fails with the last value otherwise. */
  private static <T> void awaitEquals(T expected, Supplier<T> actual, String what) {
    Object[] last = new Object[1];
    Polling.await(
        Duration.ofSeconds(20),
        () -> expected.equals(last[0] = actual.get()),
        () -> what + ": expected " + expected + " but got " + last[0]);
  }
}
