package dev.usagemetrics.agent.settling;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells when the application's start has settled, from the pace at which it loads classes: the
 * start is taken as settled once a {@link #WINDOW} passes in which at most {@link #SETTLED_PACE}
 * classes were loaded. It counts them as a class file transformer that changes nothing, and
 * removes itself once the start has settled.
 *
 * <p>The OpenTelemetry SDK's start waits for it: about 350 ms of CPU that, on two cores, slowed
 * a Spring Boot start to ready by about 170 ms when it ran beside it (8 interleaved rounds). The
 * recorder needs no SDK, so nothing measured meanwhile is lost; the JVM's exit ends the wait at
 * once, so a short-lived application delivers its values as before.
 */
public final class StartSettling implements ClassFileTransformer {

  /** How often the pace is looked at. */
  static final Duration WINDOW = Duration.ofMillis(100);

  /**
   * At most this many classes loaded in one window is a settled application: the Spring Boot
   * target loads 50 to 500 classes in every 100 ms until it is ready, fewer than 10 afterwards.
   */
  static final int SETTLED_PACE = 20;

  /** The longest the wait lasts, unless the first export is due earlier. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(10);

  private final Instrumentation instrumentation;

  /**
   * Classes loaded so far. Volatile for the waiting thread to see it; increments racing on several
   * threads may be lost, which does not matter to a pace of tens or hundreds.
   */
  private volatile int classesLoaded;

  private final CountDownLatch stopWaiting = new CountDownLatch(1);

  private StartSettling(Instrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /** Starts counting the classes the application loads. */
  public static StartSettling watch(Instrumentation instrumentation) {
    StartSettling settling = new StartSettling(instrumentation);
    instrumentation.addTransformer(settling);
    return settling;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    classesLoaded++;
    return null;
  }

  /** Ends the wait at once, for good (the JVM is exiting). */
  public void stopWaiting() {
    stopWaiting.countDown();
  }

  /**
   * The longest to wait when metrics are exported every {@code exportInterval} (null: not set):
   * {@link #LONGEST_WAIT}, or the interval when that is shorter, since the first export is due then.
   */
  public static Duration longestWait(Duration exportInterval) {
    return exportInterval != null && exportInterval.compareTo(LONGEST_WAIT) < 0
        ? exportInterval
        : LONGEST_WAIT;
  }

  /**
   * Returns once the start has settled, {@link #stopWaiting} was called or {@code longest} has
   * passed, whichever comes first; from then on classes are no longer counted.
   */
  public void awaitSettled(Duration longest) throws InterruptedException {
    try {
      long deadline = System.nanoTime() + longest.toNanos();
      int loadedBefore = classesLoaded;
      for (long left = longest.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        if (stopWaiting.await(Math.min(WINDOW.toNanos(), left), TimeUnit.NANOSECONDS)) {
          return;
        }
        int loaded = classesLoaded;
        if (loaded - loadedBefore <= SETTLED_PACE) {
          return;
        }
        loadedBefore = loaded;
      }
    } finally {
      instrumentation.removeTransformer(this);
    }
  }
}
