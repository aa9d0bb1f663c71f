package dev.usagemetrics.agent.injection;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Class files of the agent jar read as bytes, for defining them in another class loader. Reading
 * them never loads them through the agent's own loader (that would create a second, disconnected
 * copy of a class meant to exist once).
 *
 * <p>They are read from the agent jar itself where the agent runs from one: asking the class
 * loader for them as resources builds a {@code jar:} URL and connection per class and first
 * searches the JDK's modules, about 10 ms in premain for the bridge's classes, against 1 ms.
 */
final class AgentClassFiles {

  private AgentClassFiles() {}

  /** The class file of {@code className} (a binary name, e.g. {@code a.b.C}). */
  static byte[] read(String className) throws IOException {
    return read(List.of(className)).get(className);
  }

  /** The class files of {@code classNames} (binary names), in that order. */
  static Map<String, byte[]> read(List<String> classNames) throws IOException {
    Map<String, byte[]> classFiles = new LinkedHashMap<>();
    File agentJar = agentJar();
    if (agentJar == null) {
      for (String className : classNames) {
        classFiles.put(className, readResource(entryName(className)));
      }
      return classFiles;
    }
    try (JarFile jar = new JarFile(agentJar)) {
      for (String className : classNames) {
        String entryName = entryName(className);
        ZipEntry entry = jar.getEntry(entryName);
        if (entry == null) {
          throw lacks(entryName);
        }
        try (InputStream in = jar.getInputStream(entry)) {
          classFiles.put(className, in.readAllBytes());
        }
      }
    }
    return classFiles;
  }

  /** The jar the agent's classes come from; null when they come from elsewhere (a directory in tests). */
  private static File agentJar() {
    CodeSource codeSource = AgentClassFiles.class.getProtectionDomain().getCodeSource();
    URL location = codeSource == null ? null : codeSource.getLocation();
    if (location == null || !"file".equals(location.getProtocol())) {
      return null;
    }
    try {
      File file = new File(location.toURI());
      return file.isFile() ? file : null;
    } catch (URISyntaxException | IllegalArgumentException notAFile) {
      return null;
    }
  }

  private static byte[] readResource(String entryName) throws IOException {
    try (InputStream in = AgentClassFiles.class.getClassLoader().getResourceAsStream(entryName)) {
      if (in == null) {
        throw lacks(entryName);
      }
      return in.readAllBytes();
    }
  }

  private static String entryName(String className) {
    return className.replace('.', '/') + ".class";
  }

  private static IOException lacks(String entryName) {
    return new IOException("the agent jar lacks " + entryName);
  }
}
