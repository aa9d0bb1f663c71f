package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.ERROR_TYPE;
import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_ERRORS_TOTAL;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.spring.AgentConfiguration;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricPoint;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.PostgresServer;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 on the stack real users run: our Spring Boot 3.5 service ({@code
 * dev.usagemetrics.targets.spring}: Spring Data JPA, Hibernate, Hibernate Validator, HikariCP) on a
 * real PostgreSQL ({@link PostgresServer}), under the agent configured with both persist targets: a
 * Spring Data repository interface (implemented only by a JDK dynamic proxy) and a {@code
 * @Transactional} service (a CGLIB subclass) calling it. On 4 threads it provokes every failure of
 * the table that PostgreSQL can produce, through each target, and writes down what the agent
 * must count; the receiver must hold exactly that. One child JVM, shared by the tests that read it
 * (a Spring start costs seconds).
 *
 * <p>What a configuration naming one target alone must count, the application reports too ({@code
 * SPRINGTARGET service|repository}); the agent's count for both includes the difference: a service
 * call failing at commit is an error, a repository {@code save} whose entity fails only at its
 * caller's commit is a success.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringDataPostgresTest {

  /** Every row of issue 12's table PostgreSQL produces, through each target; and the lazily flushed save. */
  private static final List<String> SCENARIOS = scenarios();

  private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(150);

  @TempDir
  static Path dir;

  private OtlpReceiver receiver;
  private Map<String, Long> triggered;
  private Map<String, Long> summary;
  /** What the agent must count with both targets configured: the application's {@code both} line. */
  private Map<String, Long> expected;

  private Map<String, Map<String, Long>> scenarios;
  private List<String> agentProblems;

  @BeforeAll
  void runTheApplicationUnderTheAgent() {
    PostgresServer postgres = SharedPostgres.server();
    receiver = OtlpReceiver.start(Protocol.GRPC);
    Path config = AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.concat(
            AgentConfiguration.bothTargetsAndQueue(), AgentHarness.exportTo(receiver, "60s")));
    // Started as an attach test starts it (waiting for a line on stdin, ticking): those modes are
    // exercised here too.
    try (ChildJvm app = SpringTarget.on(
            AgentHarness.jvmWithAgent("spring", config),
            postgres,
            "spring",
            "--usage.mode=wait",
            "--usage.ticker=true")
        .start()) {
      app.awaitOutput(SpringTarget.READY + " ", CHILD_TIMEOUT);
      app.sendLine("go");
      assertEquals(0, app.waitFor(CHILD_TIMEOUT), app.stderr());
      String stdout = app.stdout();
      triggered = AgentHarness.reportLine(stdout, SpringTarget.TRIGGERED);
      summary = AgentHarness.reportLine(stdout, SpringTarget.SUMMARY);
      expected =
          AgentHarness.reportLinesByName(stdout, SpringTarget.TARGET_LINES).get("both");
      scenarios =
          new TreeMap<>(AgentHarness.reportLinesByName(stdout, SpringTarget.SCENARIO_LINES));
      agentProblems = AgentHarness.agentProblems(app);
    }
  }

  @AfterAll
  void closeReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void theApplicationProvokesEveryRowOfTheTableThroughBothTargets() {
    assertTrue(
        triggered.containsKey("longest_tick_gap_ms") && summary.containsKey("longest_tick_gap_ms"),
        "it waited for its trigger and measured its stalls");
    assertEquals(
        0, summary.get("unexpected"), "every call failed as its scenario planned, or succeeded");
    assertEquals(SCENARIOS, new ArrayList<>(scenarios.keySet()));
    scenarios.forEach((scenario, counts) -> {
      assertTrue(counts.get("planned") > 0, scenario);
      assertEquals(
          counts.get("planned"),
          counts.get("produced"),
          scenario + ": each attempt really failed that way");
    });
    assertEquals(
        expected.get("error"),
        expected.get("timeout") + expected.get("validation") + expected.get("db_error"),
        "every failure is a row of the table");
  }

  @Test
  void everyOutermostCallOfEitherTargetIsCountedOnceByOutcome() {
    MetricsView metrics = receiver.metrics();
    assertEquals(expected.get("success"), awaitSuccesses(metrics).count(), "successful calls");
    assertEquals(
        expected.get("error"),
        metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count(),
        "failed calls");
  }

  @Test
  void everyFailureIsClassifiedAsTheTableSays() {
    MetricsView metrics = receiver.metrics();
    awaitSuccesses(metrics);
    Map<String, Long> expectedErrors = new TreeMap<>();
    for (String errorType : List.of("timeout", "validation", "db_error")) {
      expectedErrors.put(errorType, expected.get(errorType));
    }
    Map<String, Long> exported = metrics.latestPoints(PERSIST_ERRORS_TOTAL).stream()
        .collect(Collectors.toMap(
            point -> (String) point.attributes().get(ERROR_TYPE),
            MetricPoint::longValue,
            Long::sum,
            TreeMap::new));
    assertEquals(expectedErrors, exported, "errors by error_type");
    EndToEndTest.assertErrors(metrics, expectedErrors);
  }

  @Test
  void theQueueGaugeEqualsTheRecordsLeftPending() {
    assertTrue(summary.get("queue_remaining") > 0);
    assertEquals(
        summary.get("queue_remaining"),
        receiver
            .metrics()
            .awaitLatest(QUEUE_SIZE, Map.of(), Duration.ofSeconds(10), p -> true)
            .longValue());
  }

  @Test
  void theAgentReportsNoProblem() {
    assertEquals(List.of(), agentProblems);
  }

  /** The exit export has arrived once the successes have. */
  private static MetricPoint awaitSuccesses(MetricsView metrics) {
    return metrics.awaitLatest(
        PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true);
  }

  private static List<String> scenarios() {
    List<String> scenarios = new ArrayList<>();
    for (String row : List.of(
        "statement_timeout",
        "lock_timeout",
        "deadlock",
        "serialization_failure",
        "unique_violation",
        "value_too_long",
        "validation_at_flush",
        "validation_at_commit",
        "connection_failure")) {
      scenarios.add(row + "_via_repository");
      scenarios.add(row + "_via_service");
    }
    scenarios.add("validation_at_commit_after_repository_save");
    scenarios.sort(null);
    return List.copyOf(scenarios);
  }
}
