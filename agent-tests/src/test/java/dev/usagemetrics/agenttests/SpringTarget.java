package dev.usagemetrics.agenttests;

import dev.usagemetrics.targets.spring.AgentConfiguration;
import dev.usagemetrics.targets.spring.SpringUsageApplication;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.PostgresServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spring Boot target ({@link SpringUsageApplication}) for child-JVM tests: how to start it on a
 * new database of the shared {@link PostgresServer}, from this JVM's test classpath (Spring's jars
 * included). The agent's configuration for it is {@link AgentConfiguration}.
 */
final class SpringTarget {

  /** {@code SPRINGREADY after_ms=<since JVM start>}: the application has started. */
  static final String READY = SpringUsageApplication.READY;
  /** {@code SPRINGTRIGGERED}: in wait mode, the trigger came; the workload starts. */
  static final String TRIGGERED = "SPRINGTRIGGERED";
  /** The application's closing line: {@code SPRING unexpected=.. queue_remaining=.. workload_ms=..}. */
  static final String SUMMARY = "SPRING";
  /**
   * One line per configuration of persist targets, saying what the agent must count under it: {@code
   * SPRINGTARGET <service|repository|both> success=.. error=.. timeout=.. validation=.. db_error=..}.
   */
  static final String TARGET_LINES = "SPRINGTARGET";
  /** One line per scenario: {@code SPRINGSCENARIO <name> planned=.. produced=..}. */
  static final String SCENARIO_LINES = "SPRINGSCENARIO";

  private SpringTarget() {}

  /**
   * {@code base} (a child JVM builder, with or without the agent) running the application on a new
   * database named after {@code purpose}, with {@code options} ({@code --usage.mode=wait}, ...).
   */
  static ChildJvm.Builder on(
      ChildJvm.Builder base, PostgresServer postgres, String purpose, String... options) {
    String database = postgres.createDatabase(purpose);
    List<String> args =
        new ArrayList<>(List.of("--spring.datasource.url=" + postgres.jdbcUrl(database)));
    args.addAll(List.of(options));
    // Surefire sets java.class.path to the test classpath: the test classes and every test
    // dependency.
    return base.classpath(System.getProperty("java.class.path"))
        .mainClass(SpringUsageApplication.class.getName())
        .args(args.toArray(String[]::new));
  }
}
