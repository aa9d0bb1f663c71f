package dev.usagemetrics.agenttests;

import dev.usagemetrics.testkit.PostgresServer;

/**
 * The shared {@link PostgresServer} for tests. Without PostgreSQL installed the calling test is
 * skipped, or fails under {@code CI=true} (see {@link MissingTool}). A server that does not start
 * fails the test.
 */
final class SharedPostgres {

  private SharedPostgres() {}

  static PostgresServer server() {
    try {
      return PostgresServer.shared();
    } catch (PostgresServer.NotInstalledException missing) {
      return MissingTool.skipOrFail("the Spring Boot + PostgreSQL tests", missing.getMessage());
    }
  }
}
