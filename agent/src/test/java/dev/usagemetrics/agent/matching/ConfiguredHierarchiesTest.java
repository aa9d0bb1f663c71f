package dev.usagemetrics.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Hierarchies decided from class-file headers and loaded classes, on classes generated for each
 * test and offered by class loaders that count what is read through them.
 */
class ConfiguredHierarchiesTest {

  private static final String CONFIGURED = "fixtures.Configured";
  private static final String QUEUE = "java.util.Queue";
  private static final String OBJECT = "java/lang/Object";

  private final ConfiguredHierarchies hierarchies =
      new ConfiguredHierarchies(List.of(CONFIGURED, QUEUE));

  @Test
  void aClassIsInTheHierarchyOfEveryConfiguredTypeItIsOrReaches() {
    FileLoader loader = new FileLoader()
        .add(anInterface("fixtures/Configured"))
        .add(aClass("fixtures/Base", "java/lang/Object", "fixtures/Configured"))
        .add(aClass("fixtures/Middle", "fixtures/Base"));

    assertEquals(
        Set.of(CONFIGURED),
        of(loader, aClass("fixtures/Leaf", "fixtures/Middle", "java/io/Serializable")));
    assertEquals(
        Set.of(CONFIGURED), of(loader, anInterface("fixtures/Configured")), "in its own hierarchy");
    assertEquals(
        Set.of(QUEUE),
        of(loader, aClass("fixtures/Backlog", "java/util/concurrent/LinkedBlockingQueue")),
        "through the JDK's own classes to a configured JDK interface");
    assertEquals(
        Set.of(CONFIGURED, QUEUE),
        of(loader, aClass("fixtures/Both", "java/util/ArrayDeque", "fixtures/Configured")));
    assertEquals(
        Set.of(),
        of(loader, aClass("fixtures/Other", "java/util/AbstractList", "java/lang/Runnable")));
    assertEquals(Set.of(), of(loader, aClass("fixtures/Plain", "java/lang/Object")));
  }

  @Test
  void aSuperTypeIsReadOncePerLoaderHoweverManyClassesShareIt() {
    FileLoader loader = new FileLoader()
        .add(anInterface("fixtures/Configured"))
        .add(aClass("fixtures/Base", "java/lang/Object", "fixtures/Configured"))
        .add(aClass("fixtures/Unrelated", "java/util/AbstractList", "java/lang/Runnable"));
    for (int i = 0; i < 50; i++) {
      assertEquals(Set.of(CONFIGURED), of(loader, aClass("fixtures/Sub" + i, "fixtures/Base")));
      assertEquals(Set.of(), of(loader, aClass("fixtures/Other" + i, "fixtures/Unrelated")));
    }
    assertEquals(Set.of(1), Set.copyOf(loader.reads.values()), "each read once: " + loader.reads);
    assertTrue(
        loader
            .reads
            .keySet()
            .containsAll(Set.of(
                "fixtures/Base",
                "fixtures/Configured",
                "fixtures/Unrelated",
                "java/util/AbstractList",
                "java/lang/Runnable")),
        loader.reads.toString());

    FileLoader another = new FileLoader().add(aClass("fixtures/Own", "java/util/AbstractList"));
    assertEquals(Set.of(), of(another, aClass("fixtures/Own2", "java/util/AbstractList")));
    assertNull(
        another.reads.get("java/util/AbstractList"),
        "the JDK's types are the same in every loader: read once");
  }

  @Test
  void theSameNameInTwoLoadersIsTwoTypes() {
    FileLoader inHierarchy = new FileLoader()
        .add(anInterface("fixtures/Configured"))
        .add(aClass("fixtures/Twin", "java/lang/Object", "fixtures/Configured"));
    FileLoader outside = new FileLoader().add(aClass("fixtures/Twin", "java/lang/Object"));

    assertEquals(Set.of(), of(outside, aClass("fixtures/Child", "fixtures/Twin")));
    assertEquals(Set.of(), of(outside, aClass("fixtures/Twin", "java/lang/Object")));
    assertEquals(Set.of(CONFIGURED), of(inHierarchy, aClass("fixtures/Child", "fixtures/Twin")));
    assertEquals(Set.of(), of(outside, aClass("fixtures/Child2", "fixtures/Twin")));
    assertEquals(Set.of(CONFIGURED), of(inHierarchy, aClass("fixtures/Child2", "fixtures/Twin")));
  }

  @Test
  void aSuperTypeWithoutAClassFileIsNeverRememberedAsOutside() {
    FileLoader loader = new FileLoader().add(anInterface("fixtures/Configured"));
    // Generated at run time: no loader offers its class file, until the agent sees it defined.
    assertEquals(Set.of(), of(loader, aClass("fixtures/Sub", "fixtures/Generated")));
    assertEquals(
        Set.of(CONFIGURED),
        of(loader, aClass("fixtures/Generated", OBJECT, "fixtures/Configured")));
    assertEquals(Set.of(CONFIGURED), of(loader, aClass("fixtures/Sub2", "fixtures/Generated")));

    assertEquals(
        Set.of(CONFIGURED),
        of(
            loader,
            aClass(
                "fixtures/WithOptionalIntegration",
                OBJECT,
                "absent/Integration",
                "fixtures/Configured")),
        "a super type that cannot be read hides no other");
  }

  @Test
  void loadedClassesAreAnsweredFromTheirClassObjectsAndTeachTheirLoadersClasses() throws Exception {
    FileLoader loader = new FileLoader()
        .add(anInterface("fixtures/Configured"))
        .add(aClass("fixtures/Base", "java/lang/Object", "fixtures/Configured"))
        .add(aClass("fixtures/Middle", "fixtures/Base"))
        .add(aClass("fixtures/Unrelated", "java/util/AbstractList"));
    Class<?> middle = Class.forName("fixtures.Middle", false, loader);

    assertEquals(Set.of(CONFIGURED), hierarchies.ofLoadedClass(middle));
    assertEquals(
        Set.of(), hierarchies.ofLoadedClass(Class.forName("fixtures.Unrelated", false, loader)));
    assertEquals(
        Set.of(QUEUE), hierarchies.ofLoadedClass(java.util.concurrent.ArrayBlockingQueue.class));
    assertEquals(Set.of(CONFIGURED), of(loader, aClass("fixtures/Late", "fixtures/Middle")));
    assertEquals(Map.of(), loader.reads, "no class file read: all known from the loaded classes");
  }

  @Test
  void aClassFileNamingItselfAsItsSuperclassCannotHangTheWalk() {
    FileLoader loader = new FileLoader().add(aClass("fixtures/Loop", "fixtures/Loop"));
    assertEquals(Set.of(), of(loader, aClass("fixtures/Sub", "fixtures/Loop")));
  }

  @Test
  void whatIsKnownOfADroppedLoaderGoesWithIt() throws InterruptedException {
    FileLoader loader = new FileLoader().add(aClass("fixtures/Base", "java/lang/Object"));
    for (int i = 0; i < 100; i++) {
      of(loader, aClass("fixtures/Sub" + i, "fixtures/Base"));
    }
    int known = hierarchies.knownTypes();
    WeakReference<ClassLoader> dropped = new WeakReference<>(loader);
    loader = null;
    for (int round = 0; round < 100 && dropped.get() != null; round++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(dropped.get(), "the loader was collected");
    // Its facts go when the next loader is registered after the JVM queued the collected key.
    for (int round = 0; round < 100 && hierarchies.knownTypes() >= known; round++) {
      of(new FileLoader(), aClass("fixtures/Other", "java/lang/Object"));
      Thread.sleep(10);
    }
    assertTrue(
        hierarchies.knownTypes() < known,
        hierarchies.knownTypes() + " types still known, " + known + " before");
  }

  private Set<String> of(ClassLoader loader, byte[] classFile) {
    ClassReader header = new ClassReader(classFile);
    return hierarchies.ofClassFile(loader, header.getClassName(), header);
  }

  private static byte[] aClass(String internalName, String superName, String... interfaces) {
    return classFile(Opcodes.ACC_PUBLIC, internalName, superName, interfaces);
  }

  private static byte[] anInterface(String internalName, String... interfaces) {
    int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT;
    return classFile(access, internalName, OBJECT, interfaces);
  }

  private static byte[] classFile(
      int access, String internalName, String superName, String... interfaces) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V11, access, internalName, null, superName, interfaces);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** Offers and defines the class files it was given; counts the class files read through it, by name. */
  private static final class FileLoader extends ClassLoader {
    final Map<String, byte[]> files = new HashMap<>();
    final Map<String, Integer> reads = new ConcurrentHashMap<>();

    FileLoader() {
      super(ConfiguredHierarchiesTest.class.getClassLoader());
    }

    FileLoader add(byte[] classFile) {
      files.put(new ClassReader(classFile).getClassName(), classFile);
      return this;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] classFile = files.get(name.replace('.', '/'));
      if (classFile == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, classFile, 0, classFile.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      String internalName = name.substring(0, name.length() - ".class".length());
      reads.merge(internalName, 1, Integer::sum);
      byte[] classFile = files.get(internalName);
      return classFile != null
          ? new ByteArrayInputStream(classFile)
          : super.getResourceAsStream(name);
    }
  }
}
