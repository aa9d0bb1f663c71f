package dev.usagemetrics.targets;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Persists after the agent is in: started with it, or (given a signal file) waiting after
 * {@code READY} until the file exists, while the test attaches it. Its {@link Workload} is loaded
 * only then, so whether that class came from a class-data sharing archive shows whether sharing
 * survived the agent. Prints {@code BRIDGE persisted= java_lang_open=}: its calls, and whether
 * its own module may reflect into {@code java.lang} (as without an agent, it may not).
 */
public final class BridgeInjectionTarget {

  /** Configured persist target, method [persist]. */
  public static final class Ledger {
    public void persist(Object record) {}
  }

  /** First used after the agent is in. */
  static final class Workload {
    static final int CALLS = 17;

    static long run() {
      Ledger ledger = new Ledger();
      for (int i = 0; i < CALLS; i++) {
        ledger.persist(i);
      }
      return CALLS;
    }
  }

  private BridgeInjectionTarget() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.out.println("READY");
      Path signal = Path.of(args[0]);
      while (!Files.exists(signal)) {
        Thread.sleep(20);
      }
    }
    long persisted = Workload.run();
    boolean javaLangOpen =
        Object.class.getModule().isOpen("java.lang", BridgeInjectionTarget.class.getModule());
    System.out.println(
        "BRIDGE persisted=" + persisted + " java_lang_open=" + (javaLangOpen ? 1 : 0));
  }
}
