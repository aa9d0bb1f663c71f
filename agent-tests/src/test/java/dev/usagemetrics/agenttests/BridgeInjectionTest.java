package dev.usagemetrics.agenttests;

import static dev.usagemetrics.testkit.UsageMetrics.OUTCOME;
import static dev.usagemetrics.testkit.UsageMetrics.PERSIST_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.BridgeInjectionTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent puts its bridge into the bootstrap loader without the application noticing, under
 * {@code -javaagent} and after a runtime attach: the JVM prints no "Sharing is only supported for
 * boot loader classes" warning, application classes loaded afterwards still come from the
 * class-data sharing archive (as they do not once a jar is appended to the bootstrap class path),
 * {@code java.lang} stays closed to the application's module, and every call is counted.
 */
class BridgeInjectionTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SHARING_WARNING = "Sharing is only supported";
  private static final String WORKLOAD_CLASS = BridgeInjectionTarget.class.getName() + "$Workload";

  @TempDir
  static Path dir;

  /** The target in a jar (class-data sharing archives classes from jars only), and its archive. */
  private static Path targetJar;

  private static Path archive;

  @BeforeAll
  static void archiveTheTarget() throws IOException {
    targetJar = targetJar(dir.resolve("target.jar"));
    archive = dir.resolve("target.jsa");
    AgentHarness.Exited run = AgentHarness.run(
        target("archive").jvmOptions("-XX:ArchiveClassesAtExit=" + archive), TIMEOUT);
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(
        Files.isRegularFile(archive), "the archive was written:\n" + run.stdout() + run.stderr());
  }

  @Test
  void startedWithTheAgent() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path classLoads = dir.resolve("javaagent-class-loads.log");
      try (ChildJvm app = target("javaagent")
          .jvmOptions(sharingLoggedTo(classLoads))
          .javaagent(AgentHarness.agentJar(), config("javaagent", receiver).toString())
          .start()) {
        assertApplicationUnaware(app, classLoads, receiver);
      }
    }
  }

  @Test
  void attachedAtRuntime() throws IOException {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path classLoads = dir.resolve("attach-class-loads.log");
      Path attached = dir.resolve("attached");
      try (ChildJvm app = target("attach")
          .jvmOptions(sharingLoggedTo(classLoads))
          .args(attached.toString())
          .start()) {
        app.awaitOutput("READY", TIMEOUT);
        AgentHarness.Exited attach = AgentHarness.run(
            AgentHarness.agentCommand(
                "attach",
                "attach",
                Long.toString(app.pid()),
                config("attach", receiver).toString()),
            TIMEOUT);
        assertEquals(0, attach.exitCode(), attach.stderr());
        Files.createFile(attached);
        assertApplicationUnaware(app, classLoads, receiver);
      }
    }
  }

  private static void assertApplicationUnaware(
      ChildJvm app, Path classLoads, OtlpReceiver receiver) {
    assertEquals(0, app.waitFor(TIMEOUT), app.stderr());
    assertFalse(app.stderr().contains(SHARING_WARNING), "the JVM warned:\n" + app.stderr());
    assertEquals(List.of(), AgentHarness.agentProblems(app));
    String workloadLoad = linesAbout(classLoads, WORKLOAD_CLASS + " ");
    assertTrue(
        workloadLoad.contains("source: shared objects file"),
        "loaded after the agent, yet from the archive: " + workloadLoad);

    Map<String, Long> ran = AgentHarness.reportLine(app.stdout(), "BRIDGE");
    assertEquals(
        0L, ran.get("java_lang_open"), "the application's module gained no access to java.lang");
    assertEquals(17L, ran.get("persisted"), "the target's own plan");
    assertEquals(
        ran.get("persisted"),
        receiver
            .metrics()
            .awaitLatest(
                PERSIST_SECONDS, Map.of(OUTCOME, "success"), Duration.ofSeconds(10), p -> true)
            .count());
  }

  private static ChildJvm.Builder target(String name) {
    return AgentHarness.jvm(name)
        .classpath(targetJar)
        .mainClass(BridgeInjectionTarget.class.getName());
  }

  /** Uses the target's archive and logs every class load (with its source) to {@code file}. */
  private static String[] sharingLoggedTo(Path file) {
    return new String[] {"-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + file};
  }

  private static Path config(String name, OtlpReceiver receiver) {
    return AgentHarness.writeConfig(
        dir,
        name + ".yaml",
        AgentHarness.concat(
            AgentHarness.persistTarget(BridgeInjectionTarget.Ledger.class.getName(), "persist"),
            AgentHarness.exportTo(receiver, "60s")));
  }

  private static String linesAbout(Path log, String part) {
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(line -> line.contains(part)).collect(Collectors.joining("\n"));
    } catch (IOException e) {
      throw new AssertionError("no class load log " + log, e);
    }
  }

  /** {@link BridgeInjectionTarget} and its nested classes, in a jar. */
  private static Path targetJar(Path jar) throws IOException {
    String packagePath = BridgeInjectionTarget.class.getPackageName().replace('.', '/');
    Path classes = AgentHarness.testClasses().resolve(packagePath);
    String simpleName = BridgeInjectionTarget.class.getSimpleName();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> classFiles = Files.list(classes)) {
      for (Path classFile : (Iterable<Path>) classFiles::iterator) {
        String fileName = classFile.getFileName().toString();
        if (fileName.equals(simpleName + ".class") || fileName.startsWith(simpleName + "$")) {
          out.putNextEntry(new ZipEntry(packagePath + "/" + fileName));
          Files.copy(classFile, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
