package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportClassPreloaderTest {

  @TempDir
  Path dir;

  /** Set by {@link Probe}'s initializer: it must stay false when Probe is only loaded ahead. */
  static volatile boolean probeInitialized;

  static final class Probe {
    static {
      probeInitialized = true;
    }
  }

  @Test
  void loadsTheListedClassesThroughItsLoaderWithoutInitializingThem() throws IOException {
    Path list = Files.writeString(
        dir.resolve("classes.txt"),
        "# a comment\n\n  " + Probe.class.getName() + "  \nno.such.Type\n");
    List<String> asked = new ArrayList<>();
    ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        asked.add(name);
        return super.loadClass(name, resolve);
      }
    };
    ExportClassPreloader preloader = new ExportClassPreloader(list.toUri().toURL(), recording, "");

    assertEquals(List.of(Probe.class.getName(), "no.such.Type"), preloader.names());
    preloader.run();

    assertEquals(List.of(Probe.class.getName(), "no.such.Type"), asked);
    assertFalse(probeInitialized, "loaded, not initialized");
    assertFalse(preloader.load("no.such.Type"), "a name that does not resolve is skipped");
  }

  @Test
  void namesGetTheJarsRelocationPrefix() throws IOException {
    Path list = Files.writeString(dir.resolve("classes.txt"), "okio.Buffer\n");
    assertEquals(
        List.of("shaded.okio.Buffer"),
        new ExportClassPreloader(list.toUri().toURL(), getClass().getClassLoader(), "shaded.")
            .names());
  }

  @Test
  void noPrefixWhereTheLibrariesAreNotRelocated() {
    assertEquals("", ExportClassPreloader.relocationPrefix());
  }

  /**
   * Every shipped name is a class of the bundled libraries as they are now: a library upgrade that
   * renames or drops one fails here (the child test ExportClassListTest checks the list is complete).
   */
  @Test
  void everyShippedNameResolves() throws IOException {
    URL shipped = ExportClassPreloader.class.getResource(ExportClassPreloader.LIST);
    assertNotNull(shipped, ExportClassPreloader.LIST + " is not on the class path");
    ExportClassPreloader preloader =
        new ExportClassPreloader(shipped, getClass().getClassLoader(), "");
    List<String> names = preloader.names();
    assertTrue(names.size() > 500, "the list holds " + names.size() + " names");
    List<String> unresolved = new ArrayList<>();
    for (String name : names) {
      if (!preloader.load(name)) {
        unresolved.add(name);
      }
    }
    assertEquals(List.of(), unresolved);
  }
}
