package dev.usagemetrics.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * The program {@link ChildJvmTest} runs in a child JVM: reports what it was given, then sleeps or
 * exits as its first argument says, and says goodbye when terminated.
 */
public final class ChildJvmFixture {

  private ChildJvmFixture() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("java.version=" + System.getProperty("java.version"));
    System.out.println("property=" + System.getProperty("fixture.property"));
    System.out.println("env=" + System.getenv("FIXTURE_ENV"));
    System.err.println("args=" + String.join(",", args));
    switch (args[0]) {
      case "exit" -> System.exit(Integer.parseInt(args[1]));
      case "sleep" -> {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("terminated")));
        System.out.println("ready");
        new CountDownLatch(1).await();
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }
}
