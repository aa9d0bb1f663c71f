package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agenttests.SpringTarget.Targets;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 on the stack real users run: our Spring Boot 3.5 service ({@code
 * dev.usagemetrics.targets.spring}: Spring Data JPA, Hibernate, Hibernate Validator, HikariCP) on a
 * real PostgreSQL ({@link PostgresServer}), under the agent, provoking every failure of the issue's
 * table that PostgreSQL can produce, on 4 threads, through a Spring Data repository interface (a JDK
 * dynamic proxy) and a {@code @Transactional} service (a CGLIB subclass). The application writes down
 * what the agent must count for each configuration of targets; the receiver must hold exactly that.
 *
 * <p>One child JVM per configuration, shared by the tests that read it (a Spring start costs
 * seconds): both targets (issue 12's case), and the repository alone (what it does not see).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringDataPostgresTest {

  /** Every row of issue 12's table PostgreSQL produces, through each target; and the lazily flushed save. */
  private static final List<String> SCENARIOS = scenarios();

  @TempDir Path dir;

  /** Per configuration, its run, or why it could not be made (not tried again by the next test). */
  private final Map<Targets, Object> runs = new EnumMap<>(Targets.class);

  /** What one child JVM printed and the agent exported. */
  private record Run(
      OtlpReceiver receiver,
      Map<String, Long> summary,
      Map<String, Map<String, Long>> views,
      Map<String, Map<String, Long>> scenarios,
      List<String> agentProblems) {

    Map<String, Long> expected(Targets targets) {
      return views.get(targets.view());
    }

    MetricsView metrics() {
      return receiver.metrics();
    }
  }

  @AfterAll
  void closeReceivers() {
    runs.values().stream().filter(Run.class::isInstance).forEach(run -> ((Run) run).receiver().close());
  }

  @Test
  void theApplicationProvokesEveryRowOfTheTableThroughBothTargets() {
    Run run = run(Targets.BOTH);
    assertEquals(0, run.summary().get("unexpected"), "every call failed as its scenario planned, or succeeded");
    assertEquals(SCENARIOS, new ArrayList<>(run.scenarios().keySet()));
    run.scenarios().forEach((scenario, counts) -> {
      assertTrue(counts.get("planned") > 0, scenario);
      assertEquals(counts.get("planned"), counts.get("produced"), scenario + ": each attempt really failed that way");
    });
  }

  @Test
  void bothTargetsCountEveryOutermostCallOnceByOutcome() {
    assertCallsCounted(Targets.BOTH);
  }

  @Test
  void bothTargetsClassifyEveryFailureAsTheTableSays() {
    assertErrorsClassified(Targets.BOTH);
  }

  /**
   * Also the calls the service makes; a {@code save} whose entity fails Bean Validation only at the
   * caller's commit is a success, unlike the service call around it (which the BOTH run counts as an error).
   */
  @Test
  void theRepositoryAloneCountsEveryCallOfItsMethods() {
    assertCallsCounted(Targets.REPOSITORY);
  }

  @Test
  void theRepositoryAloneClassifiesEveryFailureAsTheTableSays() {
    assertErrorsClassified(Targets.REPOSITORY);
  }

  @Test
  void theQueueGaugeEqualsTheRecordsLeftPending() {
    Run run = run(Targets.BOTH);
    assertTrue(run.summary().get("queue_remaining") > 0);
    assertEquals(run.summary().get("queue_remaining"),
        run.metrics().awaitLatest(QUEUE_SIZE, Map.of(), Duration.ofSeconds(10), p -> true).longValue());
  }

  @Test
  void theAgentReportsNoProblem() {
    for (Targets targets : Targets.values()) {
      assertEquals(List.of(), run(targets).agentProblems(), targets + " targets");
    }
  }

  private void assertCallsCounted(Targets targets) {
    Run run = run(targets);
    Map<String, Long> expected = run.expected(targets);
    MetricsView metrics = run.metrics();
    assertEquals(expected.get("success"),
        metrics.awaitLatest(PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true).count(),
        "successful calls");
    assertEquals(expected.get("error"), metrics.latest(PERSIST_SECONDS, OUTCOME, "error").orElseThrow().count(),
        "failed calls");
  }

  private void assertErrorsClassified(Targets targets) {
    Run run = run(targets);
    Map<String, Long> expected = run.expected(targets);
    run.metrics().awaitLatest(PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true);
    EndToEndTest.assertErrors(run.metrics(), Map.of(
        "timeout", expected.get("timeout"), "validation", expected.get("validation"), "db_error", expected.get("db_error")));
  }

  /** The run of the application under an agent configured with {@code targets}, made at the first call. */
  private Run run(Targets targets) {
    Object run = runs.computeIfAbsent(targets, this::startOrFailure);
    if (run instanceof RuntimeException failure) {
      throw failure;
    }
    if (run instanceof Error failure) {
      throw failure;
    }
    return (Run) run;
  }

  private Object startOrFailure(Targets targets) {
    try {
      return start(targets);
    } catch (RuntimeException | Error failure) {
      return failure;
    }
  }

  private Run start(Targets targets) {
    PostgresServer postgres = PostgresServer.shared();
    OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC);
    Path config = AgentUnderTest.writeConfig(dir, "agent-" + targets.view() + ".yaml",
        AgentUnderTest.concat(targets.yaml(), AgentUnderTest.exportTo(receiver, "60s")));
    try (ChildJvm app = SpringTarget.on(
        AgentUnderTest.jvmWithAgent("spring-" + targets.view(), config), postgres, "spring_" + targets.view()).start()) {
      assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
      String stdout = app.stdout();
      return new Run(receiver,
          AgentUnderTest.reportLine(stdout, SpringTarget.SUMMARY),
          AgentUnderTest.reportLinesByName(stdout, SpringTarget.TARGET_LINES),
          new TreeMap<>(AgentUnderTest.reportLinesByName(stdout, SpringTarget.SCENARIO_LINES)),
          AgentUnderTest.agentProblems(app));
    } catch (RuntimeException | Error e) {
      receiver.close();
      throw e;
    }
  }

  private static List<String> scenarios() {
    List<String> scenarios = new ArrayList<>();
    for (String row : List.of("statement_timeout", "lock_timeout", "deadlock", "serialization_failure",
        "unique_violation", "value_too_long", "validation_at_flush", "validation_at_commit", "connection_failure")) {
      scenarios.add(row + "_via_repository");
      scenarios.add(row + "_via_service");
    }
    scenarios.add("validation_at_commit_after_repository_save");
    scenarios.sort(null);
    return List.copyOf(scenarios);
  }
}
