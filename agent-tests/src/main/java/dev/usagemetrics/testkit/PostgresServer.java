package dev.usagemetrics.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server on loopback for the tests and benchmarks of this JVM: the installed
 * server binaries (Debian's {@code postgresql} package: {@code /usr/lib/postgresql/<version>/bin};
 * {@code -Dpostgresql.bin} names another directory), a new cluster in a temporary directory (trust
 * authentication, {@code fsync=off}, {@code deadlock_timeout=200ms}), a free port, its socket in that
 * directory. As root it runs as the {@code postgres} user (the server refuses root). Started by the
 * first caller that asks, shared by every later one, stopped when this JVM exits ({@code pg_ctl stop},
 * else its own postmaster pid) and its directory deleted.
 *
 * <p>Without the binaries, {@link #shared()} throws {@link NotInstalledException}, saying where it
 * looked and how to install them: the caller decides whether that skips or fails.
 */
public final class PostgresServer {

  private static final String DEBIAN_BINARIES = "/usr/lib/postgresql";
  private static final int START_ATTEMPTS = 3;
  private static final long COMMAND_TIMEOUT_SECONDS = 120;
  private static final int LOG_TAIL_CHARS = 4_000;

  private static PostgresServer shared;
  private static RuntimeException startFailure;

  private final Path bin;
  private final Path dir;
  private final List<String> asServerUser;
  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresServer(Path bin, Path dir, List<String> asServerUser, int port) {
    this.bin = bin;
    this.dir = dir;
    this.asServerUser = asServerUser;
    this.port = port;
  }

  /** PostgreSQL's server binaries are not installed; the message says where they were looked for. */
  public static final class NotInstalledException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotInstalledException(String message) {
      super(message);
    }
  }

  /**
   * The server of this JVM, started at the first call.
   *
   * @throws NotInstalledException when PostgreSQL is not installed
   * @throws IllegalStateException when the server does not start (the same failure at every call)
   */
  public static synchronized PostgresServer shared() {
    if (shared == null && startFailure == null) {
      try {
        shared = start(installedBinaries().orElseThrow(PostgresServer::notInstalled));
      } catch (RuntimeException e) {
        startFailure = e;
      }
    }
    if (startFailure != null) {
      throw startFailure;
    }
    return shared;
  }

  /** A JDBC URL for {@code database} on this server (user {@code postgres}, no password). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Creates a new, empty database named after {@code purpose}; returns its name. Needs the JDBC driver. */
  public String createDatabase(String purpose) {
    String name = purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_") + "_"
        + databases.incrementAndGet();
    try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
      return name;
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name + logTail(), e);
    }
  }

  private static NotInstalledException notInstalled() {
    String configured = System.getProperty("postgresql.bin", "");
    return new NotInstalledException(
        "PostgreSQL's server binaries (initdb, pg_ctl) are not installed: looked "
            + (configured.isBlank()
                ? "in " + DEBIAN_BINARIES + "/<version>/bin and on the PATH"
                : "in -Dpostgresql.bin=" + configured)
            + " (apt-get install postgresql)");
  }

  private static Optional<Path> installedBinaries() {
    String configured = System.getProperty("postgresql.bin", "");
    if (!configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(PostgresServer::hasServerBinaries);
    }
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> versions = Files.list(Path.of(DEBIAN_BINARIES))) {
      // Newest version first: 15 before 9.6 (compared as numbers).
      versions
          .sorted(Comparator.comparingDouble(PostgresServer::versionOf).reversed())
          .forEach(version -> candidates.add(version.resolve("bin")));
    } catch (IOException notDebian) {
      // Fall back to the PATH.
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(entry));
    }
    return candidates.stream().filter(PostgresServer::hasServerBinaries).findFirst();
  }

  private static double versionOf(Path versionDir) {
    try {
      return Double.parseDouble(versionDir.getFileName().toString());
    } catch (NumberFormatException notAVersion) {
      return -1;
    }
  }

  private static boolean hasServerBinaries(Path dir) {
    return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
  }

  private static PostgresServer start(Path bin) {
    try {
      Path dir = Files.createTempDirectory("agent-tests-postgres");
      List<String> asServerUser = List.of();
      if ("root".equals(System.getProperty("user.name"))) {
        Files.setOwner(
            dir,
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        asServerUser = List.of("runuser", "-u", "postgres", "--");
      }
      PostgresServer server = new PostgresServer(bin, dir, asServerUser, LoopbackPort.free());
      server.run(
          "initdb",
          List.of(
              "-D",
              server.data().toString(),
              "-U",
              "postgres",
              "-A",
              "trust",
              "-N",
              "-E",
              "UTF8",
              "--no-locale"));
      for (int attempt = 1; !server.startServer(); attempt++) {
        if (attempt == START_ATTEMPTS) {
          String log = server.logTail();
          server.stop();
          throw new IllegalStateException("PostgreSQL did not start (" + bin + ")" + log);
        }
        server = new PostgresServer(bin, dir, asServerUser, LoopbackPort.free());
      }
      Runtime.getRuntime()
          .addShutdownHook(new Thread(server::stop, "stop postgres " + server.port));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("could not set up a PostgreSQL cluster", e);
    }
  }

  /** {@code pg_ctl start} on this server's port; false if it did not start (the port may have been taken since). */
  private boolean startServer() throws IOException {
    String options = String.join(
        " ",
        "-p",
        Integer.toString(port),
        "-k",
        dir.toString(),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "deadlock_timeout=200ms");
    return exitCode(
            "pg_ctl",
            List.of(
                "-D",
                data().toString(),
                "-l",
                serverLog().toString(),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start"))
        == 0;
  }

  /** At JVM exit: a fast stop; if that fails, the postmaster's own pid. Then the cluster is deleted. */
  private void stop() {
    try {
      if (exitCode(
              "pg_ctl",
              List.of("-D", data().toString(), "-m", "immediate", "-w", "-t", "30", "stop"))
          != 0) {
        postmasterPid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
      }
      deleteDirectory();
    } catch (IOException | RuntimeException e) {
      System.err.println(
          "could not stop the test PostgreSQL on port " + port + " (" + dir + "): " + e);
    }
  }

  private Optional<Long> postmasterPid() throws IOException {
    Path pidFile = data().resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    return Files.readAllLines(pidFile).stream().findFirst().map(String::trim).map(Long::parseLong);
  }

  private void deleteDirectory() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }

  private void run(String program, List<String> args) throws IOException {
    int exitCode = exitCode(program, args);
    if (exitCode != 0) {
      throw new IllegalStateException(
          program + " exited with " + exitCode + ": " + Files.readString(commandLog(program)));
    }
  }

  /** Runs one of the server's programs as the server's user; its output goes to {@link #commandLog}. */
  private int exitCode(String program, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(asServerUser);
    command.add(bin.resolve(program).toString());
    command.addAll(args);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(commandLog(program).toFile()))
        .start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted running " + program, e);
    }
  }

  private Path commandLog(String program) {
    return dir.resolve(program + ".log");
  }

  private Path data() {
    return dir.resolve("data");
  }

  private Path serverLog() {
    return dir.resolve("server.log");
  }

  private String logTail() {
    try {
      String text = Files.exists(serverLog()) ? Files.readString(serverLog()) : "(no server log)";
      return "\n--- postgres log (tail) ---\n"
          + (text.length() <= LOG_TAIL_CHARS
              ? text
              : "..." + text.substring(text.length() - LOG_TAIL_CHARS));
    } catch (IOException e) {
      return "\n(no postgres log: " + e + ")";
    }
  }
}
