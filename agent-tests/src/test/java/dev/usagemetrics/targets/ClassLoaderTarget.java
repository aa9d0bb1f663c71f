package dev.usagemetrics.targets;

import dev.usagemetrics.targets.boot.BootWorkload;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Runs a {@link LoaderWorkload} in the system class loader, in an isolated child loader whose
 * parent is the platform loader (it cannot see the agent's classes), and in a throwaway loader
 * of the same kind that is then dropped; and a {@link BootWorkload} in the bootstrap loader. Each
 * place ends its calls differently and leaves a different number of elements queued (1, 10, 100,
 * 1000), so each shows in its own series and digit. Prints
 * {@code LOADERS success= validation= db_error= timeout= queued= boot_loaded= isolated_sees_agent=
 * collected= gc_rounds=}.
 */
public final class ClassLoaderTarget {

  private static final String AGENT_CLASS = "dev.usagemetrics.agent.UsageMetricsAgent";
  private static final int SYSTEM_CALLS = 11;
  private static final int ISOLATED_CALLS = 13;
  private static final int THROWAWAY_CALLS = 17;
  private static final int BOOT_CALLS = 19;

  private ClassLoaderTarget() {}

  public static void main(String[] args) throws Exception {
    URL testClasses =
        ClassLoaderTarget.class.getProtectionDomain().getCodeSource().getLocation();
    Class.forName(
        AGENT_CLASS, false, ClassLoader.getSystemClassLoader()); // the agent really is there

    new LoaderWorkload("success", SYSTEM_CALLS, 1).run();

    URLClassLoader isolated =
        new URLClassLoader(new URL[] {testClasses}, ClassLoader.getPlatformClassLoader());
    runIn(isolated, "validation", ISOLATED_CALLS, 10);
    int isolatedSeesAgent = canLoad(isolated, AGENT_CLASS) ? 1 : 0;

    WeakReference<ClassLoader> throwaway =
        runInThrowawayLoader(testClasses, "db_error", THROWAWAY_CALLS, 100);

    new BootWorkload().run(BOOT_CALLS, 1000);
    int bootLoaded = BootWorkload.class.getClassLoader() == null ? 1 : 0;

    int rounds = 0;
    while (throwaway.get() != null && rounds < 100) {
      rounds++;
      System.gc();
      Thread.sleep(20);
    }
    System.out.println("LOADERS success=" + SYSTEM_CALLS + " validation=" + ISOLATED_CALLS
        + " db_error=" + THROWAWAY_CALLS + " timeout=" + BOOT_CALLS + " queued="
        + (1 + 10 + 100 + 1000)
        + " boot_loaded=" + bootLoaded + " isolated_sees_agent=" + isolatedSeesAgent
        + " collected=" + (throwaway.get() == null ? 1 : 0) + " gc_rounds=" + rounds);
  }

  /** Runs the workload in a loader that is closed and dropped: only a weak reference remains. */
  private static WeakReference<ClassLoader> runInThrowawayLoader(
      URL classes, String outcome, int calls, int leftQueued) throws Exception {
    URLClassLoader loader =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    runIn(loader, outcome, calls, leftQueued);
    loader.close();
    return new WeakReference<>(loader);
  }

  private static void runIn(ClassLoader loader, String outcome, int calls, int leftQueued)
      throws Exception {
    Class<?> workload = Class.forName(LoaderWorkload.class.getName(), true, loader);
    if (workload == LoaderWorkload.class) {
      throw new IllegalStateException("the workload must be the loader's own copy");
    }
    ((Runnable) workload
            .getConstructor(String.class, int.class, int.class)
            .newInstance(outcome, calls, leftQueued))
        .run();
  }

  private static boolean canLoad(ClassLoader loader, String className) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
