package dev.usagemetrics.targets;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application holding as many classes as a framework service ({@link ClassForest} on its class
 * path), optional integrations among them, with a thread that ticks every 10 ms, to which the
 * agent is attached (or that starts with it). Arguments: the folder of the signal files, and how
 * many forest classes to load.
 *
 * <ol>
 *   <li>Loads the forest and its optional integrations; makes a few calls on each store: a named
 *       class, a JDK dynamic proxy and the forest's {@code OptionalStore}, whose other method
 *       names an absent class (before an attach: not counted); prints
 *       {@code READY loaded_classes=};
 *   <li>waits for the signal file {@code attached}, noting the longest gap between two ticks
 *       meanwhile (an attach that holds the application up shows there);
 *   <li>persists through each store, some calls failing; prints
 *       {@code QUIET success= validation= max_tick_gap_ms=}.
 * </ol>
 */
public final class QuietAttachTarget {

  /** Configured persist target, method [persist]. Public: its proxies live in the JDK's dynamic module. */
  public interface Store {
    void persist(Object record);
  }

  /** A named implementation. */
  public static final class NamedStore implements Store {
    @Override
    public void persist(Object record) {
      if (record == null) {
        throw new IllegalArgumentException("no record");
      }
    }
  }

  private static final long TICK_MILLIS = 10;

  private static volatile boolean ticking = true;
  private static volatile long maxGapNanos;

  private QuietAttachTarget() {}

  public static void main(String[] args) throws Exception {
    Path signals = Path.of(args[0]);
    ClassForest.load(QuietAttachTarget.class.getClassLoader(), Integer.parseInt(args[1]));
    Store named = new NamedStore();
    Store proxy = (Store) Proxy.newProxyInstance(
        QuietAttachTarget.class.getClassLoader(),
        new Class<?>[] {Store.class},
        (self, method, arguments) -> {
          if (arguments[0] == null) {
            throw new IllegalArgumentException("no record");
          }
          return null;
        });
    Store optional =
        (Store) Class.forName(ClassForest.OPTIONAL_STORE).getConstructor().newInstance();
    for (Store store : new Store[] {named, proxy, optional}) {
      store.persist("before");
    }
    Thread ticker = new Thread(QuietAttachTarget::tick, "ticker");
    ticker.start();
    System.out.println(
        "READY loaded_classes=" + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());

    while (!Files.exists(signals.resolve("attached"))) {
      Thread.sleep(20);
    }
    ticking = false;
    ticker.join();
    long success = persist(named, 20) + persist(proxy, 40) + persist(optional, 80);
    long validation = fail(named, 3) + fail(proxy, 5);
    System.out.println("QUIET success=" + success + " validation=" + validation
        + " max_tick_gap_ms=" + maxGapNanos / 1_000_000);
  }

  private static void tick() {
    long last = System.nanoTime();
    while (ticking) {
      try {
        Thread.sleep(TICK_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      maxGapNanos = Math.max(maxGapNanos, now - last);
      last = now;
    }
  }

  private static long persist(Store store, int calls) {
    for (int i = 0; i < calls; i++) {
      store.persist(i);
    }
    return calls;
  }

  private static long fail(Store store, int calls) {
    long failed = 0;
    for (int i = 0; i < calls; i++) {
      try {
        store.persist(null);
      } catch (IllegalArgumentException expected) {
        failed++;
      }
    }
    return failed;
  }
}
