package dev.usagemetrics.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the probe mains ({@link StartupMain}, {@link FootprintMain}, {@link StartupSdkMain},
 * the Spring Boot target) in a fresh JVM of a flavor, by default with only the bench classes on its
 * class path, under {@code /usr/bin/time} for its peak RSS and CPU time, once the machine is quiet
 * ({@link QuietMachine}), and fails loudly if it does not exit 0.
 *
 * <p>Not the testkit's {@code ChildJvm}: that one drains and echoes the child's output on threads of
 * this JVM and lets a test talk to a running child; here the output goes straight to files, so this
 * JVM does no work while the child is being timed.
 */
final class MeasuredJvm {

  private static final long TIMEOUT_SECONDS = 120;
  /** GNU time: the kernel's accounting of the child after it exited (peak RSS in KiB, CPU seconds). */
  private static final Path TIME = Path.of("/usr/bin/time");

  private static final String TIME_FORMAT = "%M %U %S";

  private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
  private final Path benchClasses;
  private final Path logDir;
  private final QuietMachine quietMachine = new QuietMachine();

  MeasuredJvm(Path benchClasses, Path logDir) {
    this.benchClasses = benchClasses;
    this.logDir = logDir;
  }

  /**
   * What the child printed to stdout, when it was spawned (epoch ms), how long it took from spawn to
   * exit, its peak resident set size (the kernel's high-water mark) and its CPU time (user + system).
   */
  record Outcome(
      String stdout, long spawnEpochMillis, long wallNanos, double peakRssMib, double cpuMillis) {}

  /** How many runs started without the machine having been quiet ({@link QuietMachine}). */
  int startedBusy() {
    return quietMachine.waitedOut();
  }

  Outcome run(Flavor flavor, Class<?> mainClass) throws IOException, InterruptedException {
    return run(flavor, mainClass.getName(), benchClasses.toString(), List.of());
  }

  /**
   * Runs {@code mainClass} with {@code args} on another class path (one that holds libraries, not
   * just the bench classes); named, not loaded here, where those libraries are missing.
   */
  Outcome run(Flavor flavor, String mainClass, String classPath, List<String> args)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(TIME)) {
      throw new IllegalStateException(
          TIME + " is missing: the startup benchmarks read peak RSS and CPU time from it"
              + " (apt-get install time)");
    }
    Files.createDirectories(logDir);
    String logName = mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-" + flavor.label();
    Path usage = logDir.resolve(logName + ".time");
    List<String> command =
        new ArrayList<>(List.of(TIME.toString(), "-f", TIME_FORMAT, "-o", usage.toString()));
    command.add(java.toString());
    command.addAll(flavor.jvmArgs());
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    Path stdout = logDir.resolve(logName + ".out");
    Path stderr = logDir.resolve(logName + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    quietMachine.await();
    long spawnEpochMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", command) + " did not exit within " + TIMEOUT_SECONDS + " s");
    }
    long wallNanos = System.nanoTime() - start;
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with "
          + process.exitValue() + ":\n" + Files.readString(stderr, StandardCharsets.UTF_8));
    }
    String[] resources = Files.readString(usage, StandardCharsets.UTF_8).trim().split("\\s+");
    double peakRssMib = Long.parseLong(resources[resources.length - 3]) / 1024.0;
    double cpuSeconds = Double.parseDouble(resources[resources.length - 2])
        + Double.parseDouble(resources[resources.length - 1]);
    double cpuMillis = cpuSeconds * 1000;
    return new Outcome(
        Files.readString(stdout, StandardCharsets.UTF_8),
        spawnEpochMillis,
        wallNanos,
        peakRssMib,
        cpuMillis);
  }
}
