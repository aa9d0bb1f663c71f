package dev.usagemetrics.agent.injection;

import java.io.IOException;
import java.io.InputStream;

/**
 * Class files of the agent jar read as bytes, for defining them in another class loader. Reading
 * them never loads them through the agent's own loader (that would create a second, disconnected
 * copy of a class meant to exist once).
 */
final class AgentClassFiles {

  private AgentClassFiles() {}

  /** The class file of {@code className} (a binary name, e.g. {@code a.b.C}). */
  static byte[] read(String className) throws IOException {
    String entry = className.replace('.', '/') + ".class";
    try (InputStream in = AgentClassFiles.class.getClassLoader().getResourceAsStream(entry)) {
      if (in == null) {
        throw new IOException("the agent jar lacks " + entry);
      }
      return in.readAllBytes();
    }
  }
}
