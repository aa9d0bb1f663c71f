package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.targets.StepTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.LoopbackPort;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Polling;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.UsageMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What every child-JVM test needs: the built, shaded agent jar, the example target, the JDK to run
 * children on ({@code -Dchild.java.home}, so CI runs the same tests on Java 17 and 25), and
 * configuration files written for a receiver.
 */
final class AgentHarness {

  private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=(\\S+)");
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /** The example target's persist and queue classes. */
  private static final String[] EXAMPLE_TARGETS = {
    "persist:",
    "  targets:",
    "    - class: com.example.llmusage.UsageRepository",
    "      methods: [persist, persistAsync]",
    "queue:",
    "  targets:",
    "    - class: com.example.llmusage.PendingUsageQueue",
  };

  private AgentHarness() {}

  static Path agentJar() {
    return existing("agent.jar");
  }

  static Path exampleJar() {
    return existing("example.jar");
  }

  /** The OpenTelemetry Java agent, for running beside ours. */
  static Path openTelemetryJavaagentJar() {
    return existing("otel.javaagent.jar");
  }

  /** The compiled test classes: purpose-built targets live there. */
  static Path testClasses() {
    return Path.of(System.getProperty("test.classes", "target/test-classes")).toAbsolutePath();
  }

  /** The repository's {@code config/} folder: collector, Prometheus rules, Grafana dashboard. */
  static Path configDir() {
    Path dir = Path.of(System.getProperty("config.dir", "")).toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("prometheus"))) {
      throw new IllegalStateException(
          "-Dconfig.dir must name the repository's config folder (run 'mvn verify' from the top); got "
              + dir);
    }
    return dir;
  }

  static Path childJavaHome() {
    String configured = System.getProperty("child.java.home", "");
    return Path.of(configured.isBlank() ? System.getProperty("java.home") : configured);
  }

  /**
   * Copies the compiled classes of one package of {@link #testClasses()} into {@code root}, e.g.
   * to put that package alone on a child's {@code -Xbootclasspath/a}; returns {@code root}.
   */
  static Path copyPackage(String packageName, Path root) {
    Path source = testClasses().resolve(packageName.replace('.', '/'));
    Path target = root.resolve(packageName.replace('.', '/'));
    try (Stream<Path> classes = Files.list(source)) {
      Files.createDirectories(target);
      for (Path file : (Iterable<Path>) classes::iterator) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A child JVM builder on the chosen JDK, without the agent. */
  static ChildJvm.Builder jvm(String name) {
    return ChildJvm.builder().name(name).javaHome(childJavaHome());
  }

  /** A child JVM builder on the chosen JDK with the agent attached by {@code -javaagent}. */
  static ChildJvm.Builder jvmWithAgent(String name, Path config) {
    return jvm(name).javaagent(agentJar(), config.toString());
  }

  /** The agent's {@code -javaagent} option, for a child with more than one agent (their order matters). */
  static String javaagentOption(Path config) {
    return "-javaagent:" + agentJar() + "=" + config;
  }

  /** {@code java -jar usage-metrics-agent.jar <args>}: the agent's command line, on the chosen JDK. */
  static ChildJvm.Builder agentCommand(String name, String... args) {
    return jvm(name).jar(agentJar()).args(args);
  }

  /** What a child that ran to its end left behind. */
  record Exited(int exitCode, String stdout, String stderr) {}

  /** Starts the child and waits (at most {@code timeout}) for it to exit. */
  static Exited run(ChildJvm.Builder builder, Duration timeout) {
    try (ChildJvm child = builder.start()) {
      int exitCode = child.waitFor(timeout);
      return new Exited(exitCode, child.stdout(), child.stderr());
    }
  }

  /**
   * Runs {@link ConfigTarget} to its end in {@code jvm} (an agent configured with its store's
   * {@code save}, exporting to {@code receiver}); it must exit with 0, and each of its saves must
   * arrive.
   */
  static Exited runConfigTarget(ChildJvm.Builder jvm, OtlpReceiver receiver) {
    Exited run = run(
        jvm.classpath(testClasses()).mainClass(ConfigTarget.class.getName()).args("0"),
        Duration.ofSeconds(60));
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(
        ConfigTarget.SAVES,
        receiver
            .metrics()
            .awaitLatest(
                UsageMetrics.PERSIST_SECONDS,
                Map.of(UsageMetrics.OUTCOME, "success"),
                Duration.ofSeconds(10),
                point -> true)
            .count(),
        "the calls made arrived");
    return run;
  }

  /** The jar (or directory) this JVM loaded {@code type} from, to put a library on a child's classpath. */
  static Path classpathEntryOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** How many times {@code part} occurs in {@code text}. */
  static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  /** A {@code persist} section timing {@code methods} of {@code className}. */
  static String[] persistTarget(String className, String... methods) {
    return new String[] {
      "persist:",
      "  targets:",
      "    - class: " + className,
      "      methods: [" + String.join(", ", methods) + "]",
    };
  }

  /** Writes {@code yaml} to {@code dir/name}. */
  static Path writeConfig(Path dir, String name, String... yamlLines) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, String.join("\n", yamlLines) + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code export} section that serves the metrics only on a Prometheus endpoint at loopback {@code port}. */
  static String[] prometheusEndpoint(int port) {
    return new String[] {
      "export:",
      "  otlp_enabled: false",
      "  prometheus:",
      "    host: 127.0.0.1",
      "    port: " + port,
    };
  }

  /** A loopback port that was free a moment ago, for a server this test configures but does not start itself. */
  static int freePort() {
    return LoopbackPort.free();
  }

  /** The {@code export} section for {@code receiver}, exporting every {@code interval}. */
  static String[] exportTo(OtlpReceiver receiver, String interval) {
    return exportTo(receiver.endpoint(), receiver.protocol(), interval);
  }

  /** The {@code export} section for an endpoint that may not be listening yet. */
  static String[] exportTo(String endpoint, Protocol protocol, String interval) {
    return new String[] {
      "export:",
      "  endpoint: " + endpoint,
      "  protocol: " + protocol.otelName(),
      "  interval: " + interval,
      "  service_name: agent-tests",
    };
  }

  /** Continues the {@code export} section of {@link #exportTo} with a Prometheus endpoint on {@code port}. */
  static String[] scrapeEndpoint(int port) {
    return new String[] {"  prometheus:", "    port: " + port};
  }

  /**
   * Added after an {@code export} section by tests whose target may end before the agent's SDK is
   * up on a loaded machine: the exit export then waits for the SDK's start too.
   */
  static final String[] PATIENT_EXIT = {"  shutdown_timeout: 30s"};

  /** {@link StepTarget}'s persist target, followed by {@code exportLines}. */
  static String[] stepTargetConfig(String... exportLines) {
    return concat(persistTarget(StepTarget.Ledger.class.getName(), "persist"), exportLines);
  }

  /**
   * Starts {@link StepTarget} under the agent and waits until it takes steps and the agent's SDK
   * is up (what is recorded before that is buffered; see {@code StartupBuffer}).
   */
  static ChildJvm startStepTarget(String name, Path config) {
    return startStepTarget(stepTarget(name, config));
  }

  /** {@link StepTarget} under the agent, to add settings to, then {@link #startStepTarget(ChildJvm.Builder)}. */
  static ChildJvm.Builder stepTarget(String name, Path config) {
    return jvmWithAgent(name, config)
        .classpath(testClasses())
        .mainClass(StepTarget.class.getName());
  }

  /** Starts a {@link #stepTarget} and waits until it takes steps and the agent's SDK is up. */
  static ChildJvm startStepTarget(ChildJvm.Builder stepTarget) {
    ChildJvm app = stepTarget.start();
    app.awaitOutput("READY", STEP_TIMEOUT);
    app.awaitOutput(" active: ", STEP_TIMEOUT);
    return app;
  }

  /** Sends one step to a {@link StepTarget} and returns the report line it prints under {@code label}. */
  static Map<String, Long> step(ChildJvm app, String label, String step) {
    app.sendLine(step);
    app.awaitOutput("\n" + label + " ", STEP_TIMEOUT);
    return reportLine(app.stdout(), label);
  }

  /** Lets a {@link StepTarget} persist for {@code millis}; returns what it reported. */
  static Map<String, Long> run(ChildJvm app, String label, long millis) {
    return step(app, label, "run " + label + " " + millis);
  }

  /** The agent's log lines of this severity ({@code WARN}, {@code ERROR}) in a child's stderr. */
  static List<String> agentLogLines(ChildJvm app, String severity) {
    return app.stderr()
        .lines()
        .filter(line ->
            line.startsWith("[usage-metrics-agent] ") && line.contains(" " + severity + " "))
        .collect(Collectors.toList());
  }

  static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }

  /** The example target's configuration for {@code receiver}. */
  static String[] exampleTargetConfig(OtlpReceiver receiver, String interval) {
    return exampleTargetConfig(exportTo(receiver, interval));
  }

  /** The example target's configuration with {@code export} as its export section. */
  static String[] exampleTargetConfig(String[] export) {
    return concat(EXAMPLE_TARGETS, export);
  }

  /**
   * Waits until {@code app}, still running, has printed its whole {@code PREFIX key=value ...} line
   * (up to the newline), then parses it.
   */
  static Map<String, Long> awaitReportLine(ChildJvm app, String prefix, Duration timeout) {
    app.awaitOutput(prefix + " ", timeout);
    Polling.await(
        Duration.ofSeconds(5),
        () -> app.stdout().indexOf('\n', app.stdout().indexOf(prefix + " ")) >= 0,
        () -> "the '" + prefix + "' line is not complete:\n" + app.stdout());
    return reportLine(app.stdout(), prefix);
  }

  /**
   * Parses every {@code PREFIX name key=value ...} line, by name, in order: for targets that report
   * one line per step.
   */
  static Map<String, Map<String, Long>> reportLinesByName(String output, String prefix) {
    Map<String, Map<String, Long>> lines = new LinkedHashMap<>();
    for (String line : output.split("\n")) {
      if (line.startsWith(prefix + " ")) {
        String name = line.substring(prefix.length() + 1).split(" ", 2)[0];
        lines.put(name, keyValues(line));
      }
    }
    return lines;
  }

  /** The entries of {@code values} under {@code keys}: the part of a report line a test plans. */
  static Map<String, Long> entries(Map<String, Long> values, String... keys) {
    Map<String, Long> picked = new LinkedHashMap<>();
    for (String key : keys) {
      picked.put(key, values.get(key));
    }
    return picked;
  }

  /** Parses the {@code PREFIX key=value ...} line a target prints about what it observed itself. */
  static Map<String, Long> reportLine(String output, String prefix) {
    for (String line : output.split("\n")) {
      if (line.startsWith(prefix + " ")) {
        return keyValues(line);
      }
    }
    throw new AssertionError("no '" + prefix + "' line in the output:\n" + output);
  }

  private static Map<String, Long> keyValues(String line) {
    Map<String, Long> values = new LinkedHashMap<>();
    Matcher matcher = KEY_VALUE.matcher(line);
    while (matcher.find()) {
      values.put(matcher.group(1), Long.parseLong(matcher.group(2)));
    }
    return values;
  }

  /** The agent's own WARN and ERROR lines in a child's stderr (the JVM's warnings are not the agent's). */
  static List<String> agentProblems(ChildJvm app) {
    List<String> problems = new ArrayList<>(agentLogLines(app, "WARN"));
    problems.addAll(agentLogLines(app, "ERROR"));
    return problems;
  }

  private static Path existing(String property) {
    Path path = Path.of(System.getProperty(property, "")).toAbsolutePath();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("-D" + property
          + " must name the built jar (run 'mvn verify' from the top); got " + path);
    }
    return path;
  }
}
