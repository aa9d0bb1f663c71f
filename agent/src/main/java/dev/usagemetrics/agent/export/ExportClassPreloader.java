package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.identity.AgentThreads;
import dev.usagemetrics.agent.log.AgentLog;
import io.opentelemetry.api.OpenTelemetry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads, on a thread of its own, the classes that the SDK's start and its first OTLP export are
 * about to load from the agent's jar, so that they are loaded on two cores instead of one.
 *
 * <p>The SDK's start loads about 760 classes, one after another, on the thread that builds it;
 * for a short-lived application it runs at exit, between the application's end and the JVM's.
 * Loading them alongside shortened a hello world's spawn → exit by about 50 ms (20 interleaved
 * rounds, docs/internals.md). They are loaded, not initialized: none of their code runs early or
 * on this thread, and no class-initialization lock is held that the SDK's thread could wait on.
 *
 * <p>The names are listed in {@value #LIST} as the libraries spell them (unrelocated), in the
 * order a hello world's export loads them over http/protobuf, then over gRPC.
 * {@code ExportClassListTest} regenerates the list from the JVM's class-loading log and fails when
 * a library upgrade leaves it stale. A name that does not resolve is skipped.
 */
final class ExportClassPreloader implements Runnable {

  static final String LIST = "export-classes.txt";

  /** {@code -Dusage.metrics.export.preload=false} turns it off: for measuring and the list's test. */
  static final String ENABLED_PROPERTY = "usage.metrics.export.preload";

  private final URL list;
  private final ClassLoader loader;
  private final String relocationPrefix;

  ExportClassPreloader(URL list, ClassLoader loader, String relocationPrefix) {
    this.list = list;
    this.loader = loader;
    this.relocationPrefix = relocationPrefix;
  }

  /** Starts loading the export's classes on a daemon thread, unless turned off. */
  static void start() {
    URL list = ExportClassPreloader.class.getResource(LIST);
    if (list == null || !Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
      return;
    }
    AgentThreads.newThread(
            "preload",
            new ExportClassPreloader(
                list, ExportClassPreloader.class.getClassLoader(), relocationPrefix()))
        .start();
  }

  /**
   * What the agent's jar puts before the bundled libraries' package names; empty where they are
   * not relocated (the unit tests). Every bundled library is relocated under the same prefix.
   */
  static String relocationPrefix() {
    // Joined at run time: the jar's relocation rewrites string constants naming these packages.
    String unrelocated = String.join(".", "io", "opentelemetry", "api", "OpenTelemetry");
    String name = OpenTelemetry.class.getName();
    return name.endsWith(unrelocated)
        ? name.substring(0, name.length() - unrelocated.length())
        : "";
  }

  @Override
  public void run() {
    long startNanos = System.nanoTime();
    List<String> names;
    try {
      names = names();
    } catch (IOException | RuntimeException e) {
      AgentLog.debug("could not read the export's classes to load ahead: " + e);
      return;
    }
    int loaded = 0;
    for (String name : names) {
      if (load(name)) {
        loaded++;
      }
    }
    AgentLog.debug("loaded " + loaded + " of " + names.size() + " export classes ahead in "
        + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
  }

  /** The listed class names as this jar spells them (relocated), in the list's order. */
  List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = list.openStream();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String name = line.trim();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(relocationPrefix + name);
        }
      }
    }
    return names;
  }

  /** Loads {@code className} without initializing it; false when it does not resolve. */
  boolean load(String className) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError skipped) {
      return false;
    }
  }
}
