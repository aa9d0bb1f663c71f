package dev.usagemetrics.agent.matching;

import java.io.IOException;
import java.io.InputStream;

/** Class files as a class loader offers them: where the JVM will find the class too. */
public final class ClassFiles {

  private ClassFiles() {}

  /**
   * The class file {@code loader} offers for {@code internalName}, or null for none. The boot
   * loader's ({@code loader} null) are found through the platform loader, which asks it first.
   */
  public static byte[] read(ClassLoader loader, String internalName) throws IOException {
    ClassLoader finder = loader != null ? loader : ClassLoader.getPlatformClassLoader();
    try (InputStream in = finder.getResourceAsStream(internalName + ".class")) {
      return in == null ? null : in.readAllBytes();
    }
  }
}
