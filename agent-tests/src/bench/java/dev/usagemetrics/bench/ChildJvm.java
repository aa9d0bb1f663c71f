package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the probe mains ({@link StartupMain}, {@link FootprintMain}, {@link StartupSdkMain})
 * in a fresh JVM of a flavor, by default with only the bench classes on its class path, and fails
 * loudly if it does not exit 0.
 */
final class ChildJvm {

  private static final long TIMEOUT_SECONDS = 120;

  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final Path benchClasses;
  private final Path logDir;

  ChildJvm(Path benchClasses, Path logDir) {
    this.benchClasses = benchClasses;
    this.logDir = logDir;
  }

  /** What the child printed to stdout, when it was spawned (epoch ms) and how long it took from spawn to exit. */
  record Outcome(String stdout, long spawnEpochMillis, long wallNanos) {}

  Outcome run(Flavor flavor, Class<?> mainClass) throws IOException, InterruptedException {
    return run(flavor, mainClass, benchClasses.toString(), List.of());
  }

  /** Runs {@code mainClass} with {@code args} on another class path (one that holds libraries, not just the bench classes). */
  Outcome run(Flavor flavor, Class<?> mainClass, String classPath, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(flavor.jvmArgs());
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass.getName());
    command.addAll(args);
    Files.createDirectories(logDir);
    Path stdout = logDir.resolve(mainClass.getSimpleName() + "-" + flavor.label() + ".out");
    Path stderr = logDir.resolve(mainClass.getSimpleName() + "-" + flavor.label() + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    long spawnEpochMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not exit within " + TIMEOUT_SECONDS + " s");
    }
    long wallNanos = System.nanoTime() - start;
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
          + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    return new Outcome(Files.readString(stdout, StandardCharsets.UTF_8), spawnEpochMillis, wallNanos);
  }
}
