package dev.usagemetrics.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;

/**
 * The footprint probe: a few persist calls, time for an agent's background start-up to finish, a
 * full GC, then one line {@code footprint heap=<bytes> metaspace=<bytes> classes=<count>}.
 */
public final class FootprintMain {

  static final String PREFIX = "footprint ";

  /** Long enough for an agent's SDK, started off the main thread, to be up. */
  private static final long SETTLE_MILLIS = 3_000;

  private FootprintMain() {}

  public static void main(String[] args) throws InterruptedException {
    BenchRepository repository = new BenchRepository();
    long sum = 0;
    for (int i = 0; i < 1_000; i++) {
      sum += repository.persist(i);
    }
    Thread.sleep(SETTLE_MILLIS);
    System.gc();
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long metaspace = metaspaceUsed();
    int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
    System.out.println(PREFIX + "heap=" + heap + " metaspace=" + metaspace + " classes=" + classes
        + " sum=" + sum);
  }

  private static long metaspaceUsed() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        return pool.getUsage().getUsed();
      }
    }
    throw new IllegalStateException("no Metaspace memory pool");
  }
}
