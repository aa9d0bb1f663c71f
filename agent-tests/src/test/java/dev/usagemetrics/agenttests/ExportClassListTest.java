package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.ConfigTarget;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The list of classes the agent loads ahead of its SDK's start ({@code ExportClassPreloader},
 * docs/internals.md) against what that start and the first export really load, read from the
 * JVM's class-loading log of a hello world exporting at exit over each OTLP protocol with the
 * preloading off. A library upgrade that changes those classes fails it; it then writes the
 * list it found to {@code agent-tests/target/export-classes.txt}, to be copied over {@link #LIST}.
 * With the preloading on, the shaded jar must resolve the listed names.
 */
class ExportClassListTest {

  private static final String LIST = "dev/usagemetrics/agent/export/export-classes.txt";
  private static final String SOURCE_LIST = "agent/src/main/resources/" + LIST;

  private static final String RELOCATED = "dev.usagemetrics.agent.shaded.";
  /** Loaded by the transformer, not the export. */
  private static final List<String> NOT_EXPORT = List.of("org.objectweb.asm.", "org.snakeyaml.");

  /**
   * Run to run, a handful of classes come and go (a timing-dependent path in OkHttp or the SDK):
   * this share of the classes may be missing from the list, or listed but not loaded, before the
   * list counts as stale.
   */
  private static final double TOLERATED_SHARE = 0.03;

  private static final Pattern PRELOADED =
      Pattern.compile("loaded (\\d+) of (\\d+) export classes ahead in \\d+ ms");

  @TempDir
  Path dir;

  @Test
  void theListIsWhatTheExportLoads() throws IOException {
    Set<String> loaded = new LinkedHashSet<>();
    for (Protocol protocol : List.of(Protocol.HTTP_PROTOBUF, Protocol.GRPC)) {
      loaded.addAll(exportClassesLoaded(protocol));
    }
    List<String> listed = shippedList();

    Path fresh = AgentHarness.testClasses().getParent().resolve("export-classes.txt");
    Files.writeString(fresh, header() + String.join("\n", loaded) + "\n");
    List<String> missing = new ArrayList<>(loaded);
    missing.removeAll(listed);
    List<String> unused = new ArrayList<>(listed);
    unused.removeAll(loaded);
    String update = ". The list is stale (a library upgrade?): copy " + fresh + " over "
        + SOURCE_LIST + " (docs/internals.md, \"Loading the export's classes ahead\")";
    assertTrue(
        missing.size() <= TOLERATED_SHARE * loaded.size(),
        missing.size() + " of the " + loaded.size() + " classes the export loaded are not listed, "
            + "e.g. " + missing.subList(0, Math.min(5, missing.size())) + update);
    assertTrue(
        unused.size() <= TOLERATED_SHARE * listed.size(),
        unused.size() + " of the " + listed.size() + " listed classes were not loaded, e.g. "
            + unused.subList(0, Math.min(5, unused.size())) + update);
  }

  @Test
  void theShadedJarLoadsTheListedClassesAhead() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      Path config = config(receiver, "log:", "  level: debug");
      AgentHarness.Exited run =
          AgentHarness.runConfigTarget(AgentHarness.jvmWithAgent("preload", config), receiver);
      Matcher preloaded = PRELOADED.matcher(run.stderr());
      assertTrue(preloaded.find(), "no preloading reported:\n" + run.stderr());
      int listed = Integer.parseInt(preloaded.group(2));
      assertEquals(shippedList().size(), listed);
      assertEquals(
          listed,
          Integer.parseInt(preloaded.group(1)),
          "every listed class resolves in the agent's jar");
    }
  }

  /**
   * The agent jar's classes of bundled libraries that a hello world loads once its main class
   * has loaded, without the preloading: the SDK's start and the export at exit.
   */
  private List<String> exportClassesLoaded(Protocol protocol) throws IOException {
    Path classLoads = dir.resolve("class-loads-" + protocol.otelName().replace('/', '-') + ".log");
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      AgentHarness.runConfigTarget(
          AgentHarness.jvmWithAgent("export-classes", config(receiver))
              .jvmOptions(
                  "-Dusage.metrics.export.preload=false",
                  "-Xlog:class+load:file=" + classLoads + ":none"),
          receiver);
    }
    List<String> classes = new ArrayList<>();
    boolean mainLoaded = false;
    for (String line : Files.readAllLines(classLoads)) {
      String className = line.substring(0, Math.max(0, line.indexOf(' ')));
      mainLoaded |= className.equals(ConfigTarget.class.getName());
      // Lambdas and other hidden classes are spun at run time, never loaded by name.
      if (mainLoaded && className.startsWith(RELOCATED) && !className.contains("/")) {
        String unrelocated = className.substring(RELOCATED.length());
        if (NOT_EXPORT.stream().noneMatch(unrelocated::startsWith)) {
          classes.add(unrelocated);
        }
      }
    }
    assertTrue(mainLoaded, "no class loading logged for " + ConfigTarget.class.getName());
    return classes;
  }

  private Path config(OtlpReceiver receiver, String... moreLines) {
    return AgentHarness.writeConfig(
        dir,
        "agent.yaml",
        AgentHarness.concat(
            AgentHarness.persistTarget(ConfigTarget.Store.class.getName(), "save"),
            moreLines,
            AgentHarness.exportTo(receiver, "1h")));
  }

  /** The list in the built agent jar, without its comments. */
  private static List<String> shippedList() {
    try (JarFile jar = new JarFile(AgentHarness.agentJar().toFile());
        InputStream in = jar.getInputStream(jar.getEntry(LIST))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String header() {
    return """
        # The classes of the agent's bundled libraries that the SDK's start and the first OTLP export
        # load, as the libraries name them (unrelocated), in the order a hello world loads them over
        # http/protobuf, then over gRPC. ExportClassPreloader loads them ahead on a thread of its own.
        # Generated by agent-tests' ExportClassListTest (agent-tests/target/export-classes.txt),
        # which fails when this list no longer matches the libraries: copy that file over this one.
        """;
  }
}
