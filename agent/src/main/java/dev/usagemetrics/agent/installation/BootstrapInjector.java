package dev.usagemetrics.agent.installation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * Puts the bridge classes on the bootstrap class path, where advice inlined into any class
 * (loaded by any class loader, including JDK classes) can see them.
 *
 * <p>The classes are copied as bytes into a small jar that is appended to the bootstrap search
 * path. They are named as strings: loading them through the agent's own class loader first would
 * create a second, disconnected copy. Plain JDK APIs only, so this costs milliseconds at startup.
 */
public final class BootstrapInjector {

  private static final String BOOTSTRAP_PACKAGE = "dev/usagemetrics/agent/bootstrap/";
  private static final String BRIDGE = "UsageMetricsBridge";
  private static final List<String> BOOTSTRAP_CLASSES = List.of("UsageMetricsSink", "QueueCellPadding", "QueueCell", "QueueCounter", BRIDGE);

  private BootstrapInjector() {}

  /** Injects the bridge unless an earlier installation in this JVM already did. */
  public static void inject(Instrumentation instrumentation) throws IOException {
    if (alreadyOnBootstrapPath()) {
      return;
    }
    Path jar = Files.createTempFile("usage-metrics-bootstrap", ".jar");
    jar.toFile().deleteOnExit();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (String name : BOOTSTRAP_CLASSES) {
        String entry = BOOTSTRAP_PACKAGE + name + ".class";
        out.putNextEntry(new ZipEntry(entry));
        try (InputStream in = BootstrapInjector.class.getClassLoader().getResourceAsStream(entry)) {
          if (in == null) {
            throw new IOException("the agent jar lacks " + entry);
          }
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  private static boolean alreadyOnBootstrapPath() {
    try {
      Class.forName(BOOTSTRAP_PACKAGE.replace('/', '.') + BRIDGE, false, null);
      return true;
    } catch (ClassNotFoundException notYet) {
      return false;
    }
  }
}
