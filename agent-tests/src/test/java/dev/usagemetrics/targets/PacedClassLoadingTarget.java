package dev.usagemetrics.targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Loads classes at the pace of a framework's start for a while, persisting meanwhile, then idles
 * and exits: for the test that the export starts once the start has settled, and loses nothing.
 * {@code PacedClassLoadingTarget <loading millis> <idle millis>}; stdout says when the loading
 * ended and how many saves were made ({@link #REPORT}).
 */
public final class PacedClassLoadingTarget {

  /** Starts the line {@code PACED loading_ended_epoch_ms=<ms> saves=<n>}. */
  public static final String REPORT = "PACED";
  /** About 1,800 classes a second: the Spring Boot target loads 500 to 5,000 a second while it starts. */
  private static final int CLASSES_PER_PAUSE = 18;

  private static final long PAUSE_MILLIS = 10;

  private PacedClassLoadingTarget() {}

  /** The class defined again and again, each time by a class loader of its own. */
  public static final class Defined {}

  public static void main(String[] args) throws InterruptedException {
    long loadingNanos = Long.parseLong(args[0]) * 1_000_000;
    long idleMillis = Long.parseLong(args[1]);
    byte[] classFile = classFileOf(Defined.class);
    ConfigTarget.Store store = new ConfigTarget.Store();
    int saves = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < loadingNanos) {
      for (int i = 0; i < CLASSES_PER_PAUSE; i++) {
        new OneClassLoader().define(classFile);
      }
      store.save("record-" + saves++);
      Thread.sleep(PAUSE_MILLIS);
    }
    System.out.println(
        REPORT + " loading_ended_epoch_ms=" + System.currentTimeMillis() + " saves=" + saves);
    Thread.sleep(idleMillis);
  }

  private static byte[] classFileOf(Class<?> type) {
    String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defines one class: a class loader per definition is what makes each one a new class to load. */
  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader() {
      super(PacedClassLoadingTarget.class.getClassLoader());
    }

    void define(byte[] classFile) {
      defineClass(Defined.class.getName(), classFile, 0, classFile.length);
    }
  }
}
