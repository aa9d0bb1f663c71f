package dev.usagemetrics.targets;

/**
 * A small application for the configuration tests: deterministic stdout, a chosen exit code, and
 * a class with a persist method to configure. {@code ConfigTarget <exit code> [<millis>]} stays up
 * that long after its store class has loaded (for warnings that come after a delay).
 */
public final class ConfigTarget {

  public static final String MAIN_RAN = "CONFIG-TARGET main ran";
  public static final String STORE_LOADED = "CONFIG-TARGET store loaded";
  public static final int SAVES = 3;

  /** The configured persist target. */
  public static final class Store {
    public String save(String record) {
      return record.toUpperCase(java.util.Locale.ROOT);
    }
  }

  /** Configured in some tests, never loaded. */
  public static final class NeverLoaded {
    public void save() {}
  }

  private ConfigTarget() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println(MAIN_RAN);
    Store store = new Store();
    for (int i = 0; i < SAVES; i++) {
      System.out.println("saved " + store.save("record-" + i));
    }
    System.out.println(STORE_LOADED);
    Thread.sleep(args.length > 1 ? Long.parseLong(args[1]) : 0);
    System.out.println("CONFIG-TARGET done");
    System.exit(Integer.parseInt(args[0]));
  }
}
