package dev.usagemetrics.agent.injection;

import dev.usagemetrics.agent.log.AgentLog;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts the bridge classes into the bootstrap class loader, where advice inlined into any class
 * (loaded by any class loader, including JDK classes) can see them.
 *
 * <p>They are defined there directly ({@link BootLoaderDefiner}). Should a JDK not allow that,
 * they are copied into a small jar appended to the bootstrap search path instead, which makes the
 * JVM print a warning and turn class-data sharing off for application classes.
 * Either way they are named as strings and read as bytes: loading them through the agent's own
 * class loader first would create a second, disconnected copy.
 */
public final class BootstrapInjector {

  /** In definition order: a class is defined after the classes it refers to. */
  private static final List<String> BRIDGE_CLASSES = List.of(
      "dev.usagemetrics.agent.bootstrap.UsageMetricsSink",
      "dev.usagemetrics.agent.bootstrap.ThreadCellPadding",
      "dev.usagemetrics.agent.bootstrap.ThreadCell",
      "dev.usagemetrics.agent.bootstrap.ThreadCells",
      "dev.usagemetrics.agent.bootstrap.QueueCell",
      "dev.usagemetrics.agent.bootstrap.QueueCounter",
      "dev.usagemetrics.agent.bootstrap.UsageMetricsBridge");

  private BootstrapInjector() {}

  /** Injects the bridge unless an earlier installation in this JVM already did. */
  public static void inject(Instrumentation instrumentation) throws IOException {
    inject(instrumentation, BRIDGE_CLASSES);
  }

  /** Puts {@code classNames}, in this order, into the bootstrap loader unless the last one is there already. */
  static void inject(Instrumentation instrumentation, List<String> classNames) throws IOException {
    if (inBootLoader(classNames.get(classNames.size() - 1))) {
      return;
    }
    Map<String, byte[]> classFiles = AgentClassFiles.read(classNames);
    try {
      BootLoaderDefiner definer = BootLoaderDefiner.open(instrumentation);
      for (Map.Entry<String, byte[]> classFile : classFiles.entrySet()) {
        definer.define(classFile.getKey(), classFile.getValue());
      }
      AgentLog.debug("defined " + classNames + " in the bootstrap class loader");
    } catch (Exception | LinkageError directDefinitionFailed) {
      AgentLog.debug("cannot define " + classNames + " in the bootstrap class loader directly ("
          + directDefinitionFailed
          + "); appending them to the bootstrap class path instead, which turns class-data sharing off"
          + " for application classes");
      appendToBootstrapPath(instrumentation, classFiles);
    }
  }

  private static void appendToBootstrapPath(
      Instrumentation instrumentation, Map<String, byte[]> classFiles) throws IOException {
    Path jar = Files.createTempFile("usage-metrics-bootstrap", ".jar");
    jar.toFile().deleteOnExit();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> classFile : classFiles.entrySet()) {
        out.putNextEntry(new ZipEntry(classFile.getKey().replace('.', '/') + ".class"));
        out.write(classFile.getValue());
        out.closeEntry();
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  private static boolean inBootLoader(String className) {
    try {
      Class.forName(className, false, null);
      return true;
    } catch (ClassNotFoundException notYet) {
      return false;
    }
  }
}
