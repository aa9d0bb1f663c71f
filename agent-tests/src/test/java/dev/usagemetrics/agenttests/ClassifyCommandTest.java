package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agenttests.AgentHarness.Exited;
import dev.usagemetrics.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar usage-metrics-agent.jar classify ...}: which rule an exception class matches, and why. */
class ClassifyCommandTest {

  private static final String H2_TIMEOUT = "org.h2.jdbc.JdbcSQLTimeoutException";

  @TempDir
  Path dir;

  private Path config;

  @BeforeEach
  void writeConfig() {
    // A user rule first: it shifts the shipped rules to #2..#4.
    config = AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        "persist:",
        "  targets: [{class: com.acme.Repo, methods: save}]",
        "errors:",
        "  rules:",
        "    - error_type: validation",
        "      exceptions: [org.h2.jdbc.JdbcSQLDataException]");
  }

  @Test
  void classOnTheApplicationClasspathIsClassifiedByItsHierarchyWhenItCannotBeInstantiated() {
    Exited result = classify(H2_TIMEOUT, "--classpath", h2Jar());
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(
        H2_TIMEOUT + " -> timeout (rule #2: " + H2_TIMEOUT
            + " is an instance of java.sql.SQLTimeoutException)\n"
            + "  (classified by its class hierarchy: it has no public no-argument or (String) constructor"
            + " that works)\n",
        result.stdout());
  }

  @Test
  void classThatCanBeInstantiatedIsClassifiedWithWhatItsConstructorSets() {
    String name = "dev.usagemetrics.targets.StoreTimeoutException";
    Exited result = classify(name, "--classpath", AgentHarness.testClasses().toString());
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(
        name + " -> timeout (rule #2: java.sql.SQLTimeoutException has SQLState 57014)\n",
        result.stdout(),
        "its cause, set by its (String) constructor, decides");
  }

  @Test
  void userRuleComesFirst() {
    Exited result = classify("org.h2.jdbc.JdbcSQLDataException", "--classpath", h2Jar());
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(
        result
            .stdout()
            .startsWith(
                "org.h2.jdbc.JdbcSQLDataException -> validation (rule #1: org.h2.jdbc.JdbcSQLDataException"
                    + " is an instance of org.h2.jdbc.JdbcSQLDataException)\n"),
        result.stdout());
  }

  @Test
  void sqlStateOfAnInstantiatedSqlExceptionDecides() {
    assertEquals(
        "java.sql.SQLException -> timeout (rule #2: java.sql.SQLException has SQLState 57014)\n",
        classify("java.sql.SQLException", "--sqlstate", "57014").stdout());
    assertEquals(
        "java.sql.SQLException -> validation (rule #3: java.sql.SQLException has SQLState 22001)\n",
        classify("java.sql.SQLException", "--sqlstate", "22001").stdout());
    assertEquals(
        "java.sql.SQLException -> db_error (rule #4: java.sql.SQLException has SQLState 23505)\n",
        classify("java.sql.SQLException", "--sqlstate", "23505").stdout());
  }

  @Test
  void vendorErrorCodeOutweighsTheSqlState() {
    assertEquals(
        "java.sql.SQLException -> timeout (rule #2: java.sql.SQLException has vendor error code 1205;"
            + " a vendor error code outweighs an SQLState: rule #4 (db_error) would match because"
            + " java.sql.SQLException has SQLState 40001)\n",
        classify("java.sql.SQLException", "--sqlstate", "40001", "--error-code", "1205")
            .stdout());
  }

  @Test
  void exceptionNoRuleMatchesGetsTheDefault() {
    Exited result = classify("java.lang.IllegalStateException");
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(
        "java.lang.IllegalStateException -> db_error (no rule matched; this is the default for unmatched"
            + " exceptions)\n",
        result.stdout());
  }

  @Test
  void classMissingFromTheClasspathIsAnErrorThatSaysWhatToDo() {
    Exited result = classify(H2_TIMEOUT);
    assertEquals(1, result.exitCode());
    assertEquals("", result.stdout());
    assertTrue(
        result
            .stderr()
            .contains(
                "class " + H2_TIMEOUT
                    + " not found among the JDK's classes; give the application's jars with --classpath"),
        result.stderr());
  }

  @Test
  void invalidConfigurationIsReportedWithExitStatusOne() {
    Path bad = AgentHarness.writeConfig(dir, "bad.yaml", "persist:", "  targets: []");
    Exited result = run(AgentHarness.agentCommand(
        "classify-bad", "classify", bad.toString(), "java.lang.RuntimeException"));
    assertEquals(1, result.exitCode());
    assertTrue(result.stderr().contains(bad + ":1:1: nothing to instrument"), result.stderr());
  }

  private static String h2Jar() {
    return AgentHarness.classpathEntryOf(org.h2.Driver.class).toString();
  }

  private Exited classify(String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "classify";
    command[1] = config.toString();
    System.arraycopy(args, 0, command, 2, args.length);
    return run(AgentHarness.agentCommand("classify", command));
  }

  private static Exited run(ChildJvm.Builder builder) {
    return AgentHarness.run(builder, Duration.ofSeconds(30));
  }
}
