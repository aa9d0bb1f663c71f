package dev.usagemetrics.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the suite is given on its command line ({@code --name=value}, set by the bench profile).
 * {@code virtualThreadsJava}: a Java 21+ home for the virtual-thread benchmark, null when there is
 * none.
 */
record SuiteSettings(
    Path agentJar,
    Path otelAgentJar,
    Path benchClasses,
    Path workDir,
    String springClassPath,
    String command,
    Path virtualThreadsJava) {

  static SuiteSettings parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 0) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      values.put(arg.substring(2, equals), arg.substring(equals + 1));
    }
    return new SuiteSettings(
        existing(values, "agent-jar"),
        existing(values, "otel-agent-jar"),
        existing(values, "bench-classes"),
        existing(values, "work-dir"),
        required(values, "spring-classpath"),
        values.getOrDefault("command", "(not given)"),
        javaHomeIfPresent(values.get("virtual-threads-java")));
  }

  SuiteSettings withAgentJar(Path jar) {
    return new SuiteSettings(
        jar, otelAgentJar, benchClasses, workDir, springClassPath, command, virtualThreadsJava);
  }

  Path logDir() {
    return workDir.resolve("bench-logs");
  }

  Path report() {
    return workDir.resolve("benchmarks.md");
  }

  private static Path javaHomeIfPresent(String home) {
    if (home == null || home.isBlank()) {
      return null;
    }
    Path path = Path.of(home).toAbsolutePath().normalize();
    return Files.isExecutable(path.resolve("bin").resolve("java")) ? path : null;
  }

  private static String required(Map<String, String> values, String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing --" + name + "=...");
    }
    return value;
  }

  private static Path existing(Map<String, String> values, String name) {
    String value = required(values, name);
    Path path = Path.of(value).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(
          "--" + name + ": " + path + " does not exist (build it first)");
    }
    return path;
  }
}
