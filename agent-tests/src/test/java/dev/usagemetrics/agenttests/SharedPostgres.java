package dev.usagemetrics.agenttests;

import dev.usagemetrics.testkit.PostgresServer;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared {@link PostgresServer} for tests. Without PostgreSQL installed the calling test is
 * skipped, with one loud line for the whole run saying how to enable it; unless the environment
 * says {@code CI=true}: then it fails. A server that does not start fails the test.
 */
final class SharedPostgres {

  private static boolean skipAnnounced;

  private SharedPostgres() {}

  static synchronized PostgresServer server() {
    try {
      return PostgresServer.shared();
    } catch (PostgresServer.NotInstalledException missing) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(missing.getMessage() + ". CI=true: the Spring Boot + PostgreSQL tests must run,"
            + " not be skipped; .ci/run installs them.", missing);
      }
      if (!skipAnnounced) {
        skipAnnounced = true;
        System.err.println("\n*** SKIPPED: the Spring Boot + PostgreSQL tests. " + missing.getMessage()
            + ". To run them: apt-get install postgresql (Debian/Ubuntu; .ci/run does it). ***\n");
      }
      return Assumptions.abort(missing.getMessage());
    }
  }
}
