package dev.usagemetrics.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM started as a child process, optionally with a {@code -javaagent}, whose stdout and stderr
 * are captured (and echoed with a prefix, for debugging). Close it to make sure it is gone.
 *
 * <p>The child inherits this process's environment except {@code OTEL_*}, {@code
 * JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS} and {@code _JAVA_OPTIONS}, so nothing from the
 * machine changes what a test configures.
 */
public final class ChildJvm implements AutoCloseable {

  private static final long DRAIN_MILLIS = 5_000;
  private static final int OUTPUT_TAIL_CHARS = 4_000;

  /**
   * Children not closed yet. Killed when this JVM exits, so that a test that never got to close
   * one (a timeout, a crash) leaves no instrumented app running and holding ports.
   */
  private static final Set<ChildJvm> UNCLOSED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> UNCLOSED.forEach(ChildJvm::killTree), "kill unclosed child JVMs"));
  }

  private final String name;
  private final List<String> command;
  private final Process process;
  private final OutputCapture stdout;
  private final OutputCapture stderr;

  private ChildJvm(String name, List<String> command, Process process) {
    this.name = name;
    this.command = command;
    this.process = process;
    this.stdout = new OutputCapture(process.getInputStream(), "[" + name + "] ", System.out);
    this.stderr = new OutputCapture(process.getErrorStream(), "[" + name + " err] ", System.err);
    UNCLOSED.add(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The full command line it was started with. */
  public List<String> command() {
    return command;
  }

  /** Everything the child wrote to stdout so far. */
  public String stdout() {
    return stdout.text();
  }

  /** Everything the child wrote to stderr so far. */
  public String stderr() {
    return stderr.text();
  }

  /**
   * Waits until stdout or stderr contains {@code text}; fails if the child exits without writing
   * it, or after {@code timeout}.
   */
  public void awaitOutput(String text, Duration timeout) {
    Polling.await(
        timeout,
        () -> {
          if (process.isAlive()) {
            return printed(text);
          }
          awaitOutputEnd();
          if (printed(text)) {
            return true;
          }
          throw new AssertionError(describe() + " exited with " + process.exitValue()
              + " without printing '" + text + "'" + outputTails());
        },
        () -> describe() + " did not print '" + text + "'" + outputTails());
  }

  /**
   * Waits for the child to exit and returns its exit code, once its output is fully captured. If it
   * is still running after {@code timeout}, kills it and its descendants and fails.
   */
  public int waitFor(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree();
        throw new AssertionError(
            describe() + " did not exit within " + timeout + "; killed it" + outputTails());
      }
      awaitOutputEnd();
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killTree();
      throw new AssertionError("interrupted waiting for " + describe(), e);
    }
  }

  /**
   * Writes one line to the child's standard input, for targets that take their steps from there
   * (so a test can change the collector between two steps of one running application).
   */
  public void sendLine(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write to the standard input of " + describe() + outputTails(), e);
    }
  }

  /** Asks the child to shut down: SIGTERM, so its shutdown hooks run. */
  public void sendSigterm() {
    // Process.destroy() also sends SIGTERM but closes our ends of its pipes, losing what the
    // child prints while shutting down; its ProcessHandle only sends the signal.
    process.toHandle().destroy();
  }

  /** Kills the child and its descendants if still running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      killTree();
    }
    awaitOutputEnd();
    UNCLOSED.remove(this);
  }

  @Override
  public String toString() {
    return describe();
  }

  private String describe() {
    return "child JVM '" + name + "' (pid " + process.pid() + ")";
  }

  private void killTree() {
    // Descendants first: once the parent is gone they are re-parented and harder to find.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.toHandle().destroyForcibly(); // keeps the pipes open, as in sendSigterm()
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean printed(String text) {
    return stdout().contains(text) || stderr().contains(text);
  }

  /** Waits briefly for both streams to end, so the captured output is complete. */
  private void awaitOutputEnd() {
    try {
      stdout.awaitEnd(DRAIN_MILLIS);
      stderr.awaitEnd(DRAIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String outputTails() {
    return "\n--- stdout (tail) ---\n" + tail(stdout()) + "\n--- stderr (tail) ---\n"
        + tail(stderr());
  }

  private static String tail(String text) {
    return text.length() <= OUTPUT_TAIL_CHARS
        ? text
        : "..." + text.substring(text.length() - OUTPUT_TAIL_CHARS);
  }

  /** What to run; {@link #start()} launches it. Set a main class or a jar. */
  public static final class Builder {
    private String name = "child";
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private String javaagent;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> classpath = new ArrayList<>();
    private Path jar;
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private Path workingDirectory;

    private Builder() {}

    /** Names the child in echoed output and failure messages. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The JDK or JRE to run; defaults to the one running this code. */
    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    /** Adds {@code -javaagent:<jar>=<argument>}; a null argument leaves out the {@code =}. */
    public Builder javaagent(Path agentJar, String argument) {
      this.javaagent =
          "-javaagent:" + agentJar.toAbsolutePath() + (argument == null ? "" : "=" + argument);
      return this;
    }

    /** Options placed before the main class or jar, e.g. {@code -Xmx64m}. */
    public Builder jvmOptions(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    public Builder systemProperty(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    /** Sets an environment variable of the child. */
    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /** Adds classpath entries, for use with {@link #mainClass}. */
    public Builder classpath(Path... entries) {
      for (Path entry : entries) {
        classpath.add(entry.toAbsolutePath().toString());
      }
      return this;
    }

    /** Adds a classpath in {@code java.class.path} form, e.g. this JVM's own. */
    public Builder classpath(String path) {
      classpath.add(path);
      return this;
    }

    /** Runs {@code -jar <jar>} instead of a main class. */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    /** Program arguments, after the main class or jar. */
    public Builder args(String... args) {
      this.args.addAll(List.of(args));
      return this;
    }

    public Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    public ChildJvm start() {
      if ((jar == null) == (mainClass == null)) {
        throw new IllegalStateException("set exactly one of jar(...) and mainClass(...)");
      }
      if (jar != null && !classpath.isEmpty()) {
        throw new IllegalStateException("-jar ignores the classpath; put it in the jar's manifest");
      }
      Path java = javaHome.resolve("bin").resolve("java");
      if (!Files.isExecutable(java)) {
        throw new IllegalStateException("no java executable at " + java);
      }
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.addAll(jvmOptions);
      systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
      if (javaagent != null) {
        command.add(javaagent);
      }
      if (jar != null) {
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
      } else {
        if (!classpath.isEmpty()) {
          command.add("-cp");
          command.add(classpath.stream().collect(Collectors.joining(File.pathSeparator)));
        }
        command.add(mainClass);
      }
      command.addAll(args);

      ProcessBuilder builder = new ProcessBuilder(command);
      Map<String, String> env = builder.environment();
      env.keySet()
          .removeIf(key -> key.startsWith("OTEL_")
              || key.equals("JAVA_TOOL_OPTIONS")
              || key.equals("JDK_JAVA_OPTIONS")
              || key.equals("_JAVA_OPTIONS"));
      env.putAll(environment);
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      try {
        return new ChildJvm(name, List.copyOf(command), builder.start());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + command, e);
      }
    }
  }
}
