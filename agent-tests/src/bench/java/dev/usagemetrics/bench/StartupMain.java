package dev.usagemetrics.bench;

/** The startup probe: loads the repository, persists once, exits. Timed from spawn to exit. */
public final class StartupMain {

  private StartupMain() {}

  public static void main(String[] args) {
    long result = new BenchRepository().persist(args.length + 1);
    if (result == 0) {
      System.out.println(result);
    }
  }
}
