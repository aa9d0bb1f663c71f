package dev.usagemetrics.agent.installation;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.loading.ClassInjector;

/**
 * Puts the bridge classes on the bootstrap class path, where advice inlined into any class
 * (loaded by any class loader, including JDK classes) can see them.
 *
 * <p>The classes are named as strings and read as bytes: loading them through the agent's own
 * class loader first would create a second, disconnected copy.
 */
public final class BootstrapInjector {

  private static final String BOOTSTRAP_PACKAGE = "dev.usagemetrics.agent.bootstrap.";
  private static final List<String> BOOTSTRAP_CLASSES =
      List.of(BOOTSTRAP_PACKAGE + "UsageMetricsSink", BOOTSTRAP_PACKAGE + "UsageMetricsBridge");

  private BootstrapInjector() {}

  /** Injects the bridge unless an earlier installation in this JVM already did. */
  public static void inject(Instrumentation instrumentation) throws IOException {
    if (alreadyOnBootstrapPath()) {
      return;
    }
    ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(BootstrapInjector.class.getClassLoader());
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (String name : BOOTSTRAP_CLASSES) {
      classes.put(name, agentClasses.locate(name).resolve());
    }
    bootstrapInjector(instrumentation).injectRaw(classes);
  }

  /**
   * Defines the classes in the bootstrap loader directly where the JVM allows it. Appending a jar
   * to the bootstrap class path instead also works, but makes the JVM print a warning and turn
   * off class-data sharing for the application's classes, which slows its startup.
   */
  private static ClassInjector bootstrapInjector(Instrumentation instrumentation) throws IOException {
    ClassInjector.UsingUnsafe.Factory unsafe = ClassInjector.UsingUnsafe.Factory.resolve(instrumentation);
    if (unsafe.isAvailable()) {
      return unsafe.make(null, null);
    }
    File folder = Files.createTempDirectory("usage-metrics-bootstrap").toFile();
    folder.deleteOnExit();
    return ClassInjector.UsingInstrumentation.of(folder, ClassInjector.UsingInstrumentation.Target.BOOTSTRAP, instrumentation);
  }

  private static boolean alreadyOnBootstrapPath() {
    try {
      Class.forName(BOOTSTRAP_CLASSES.get(1), false, null);
      return true;
    } catch (ClassNotFoundException notYet) {
      return false;
    }
  }
}
