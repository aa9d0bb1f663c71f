package dev.usagemetrics.agenttests;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class AgentUnderTest {

  private static final String AGENT_LOG_PREFIX = "[usage-metrics-agent] ";
  private static final Pattern KEY_VALUE = Pattern.compile("(\\w+)=(\\S+)");

  private AgentUnderTest() {}

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

  /** The agent jar's command line ({@code java -jar usage-metrics-agent.jar <args>}) on the chosen JDK. */
  static ChildJvm.Builder agentCommand(String name, String... args) {
    return jvm(name).jar(agentJar()).args(args);
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

  /** The {@code export} section for {@code receiver}, exporting every {@code interval}. */
  static String[] exportTo(OtlpReceiver receiver, String interval) {
    return new String[] {
      "export:",
      "  endpoint: " + receiver.endpoint(),
      "  protocol: " + receiver.protocol().otelName(),
      "  interval: " + interval,
      "  service_name: agent-tests",
    };
  }

  /** Continues the {@code export} section of {@link #exportTo} with a Prometheus endpoint on {@code port}. */
  static String[] scrapeEndpoint(int port) {
    return new String[] {"  prometheus:", "    port: " + port};
  }

  /** A port that was free a moment ago, for a child's server whose port the test must know. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }

  /** The example target's configuration for {@code receiver}. */
  static String[] exampleTargetConfig(OtlpReceiver receiver, String interval) {
    return concat(
        new String[] {
          "persist:",
          "  targets:",
          "    - class: com.example.llmusage.UsageRepository",
          "      methods: [persist, persistAsync]",
          "queue:",
          "  targets:",
          "    - class: com.example.llmusage.PendingUsageQueue",
        },
        exportTo(receiver, interval));
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

  /** The agent's own WARN and ERROR lines in a child's stderr (JVM warnings are not the agent's). */
  static List<String> agentProblems(String stderr) {
    return stderr.lines()
        .filter(line -> line.startsWith(AGENT_LOG_PREFIX) && (line.contains(" WARN ") || line.contains(" ERROR ")))
        .collect(Collectors.toList());
  }

  private static Path existing(String property) {
    Path path = Path.of(System.getProperty(property, "")).toAbsolutePath();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("-D" + property + " must name the built jar (run 'mvn verify' from the top); got " + path);
    }
    return path;
  }
}
