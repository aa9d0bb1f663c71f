package dev.usagemetrics.bench;

/**
 * The startup probe: loads the repository, persists once, exits. Timed from spawn to exit; it
 * also prints when {@code main} was entered, which shows what an agent's premain costs.
 */
public final class StartupMain {

  static final String MAIN_ENTERED = "main-entered-epoch-ms=";

  private StartupMain() {}

  public static void main(String[] args) {
    System.out.println(MAIN_ENTERED + System.currentTimeMillis());
    long result = new BenchRepository().persist(args.length + 1);
    if (result == 0) {
      System.out.println(result);
    }
  }
}
