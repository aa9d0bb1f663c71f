package dev.usagemetrics.targets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A jar of generated classes shaped like a framework's: interfaces extending each other, a tree of
 * abstract base classes implementing them (some extending JDK collections), and many classes
 * extending those bases, each with a few small methods. Loading them all makes a JVM hold as many
 * classes as a Spring Boot service, with super types shared the way framework classes share them.
 * Also optional integrations, as Spring ships them: an interface whose method names a class the
 * jar lacks (it loads without complaint), a class extending a class the jar lacks (loading it
 * fails, as a presence check expects), and an implementation of a given interface with one method
 * naming an absent class.
 *
 * <p>{@code main}: {@code write <jar> <classes> <interface>} writes the jar; {@code load <classes>}
 * loads the classes from the class path and prints {@code FOREST loaded= millis= cpu_ms=
 * heap_kib=}: how long the loading took, the process's CPU time so far, and the heap in use
 * after a full collection.
 */
public final class ClassForest {

  /** The optional integration: loads, but one of its methods names a class that is absent. */
  public static final String OPTIONAL_INTEGRATION = "forest.OptionalIntegration";
  /** Extends a class that is absent: loading it fails. */
  public static final String ABSENT_SUPERCLASS = "forest.ReactiveSupport";
  /** Implements the interface given to {@link #write} with {@code void persist(Object)}, and names an absent class. */
  public static final String OPTIONAL_STORE = "forest.OptionalStore";

  private static final String PACKAGE = "forest/";
  private static final int INTERFACES = 40;
  private static final int BASES = 200;
  private static final String[] JDK_ROOTS = {
    "java/lang/Object", "java/util/AbstractList", "java/util/AbstractMap", "java/lang/Object",
  };
  private static final String OBJECT = "java/lang/Object";
  private static final String FIND = "(Labsent/Predicate;)Ljava/lang/Object;";
  private static final int INTERFACE =
      Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT;

  private ClassForest() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("write")) {
      write(Path.of(args[1]), Integer.parseInt(args[2]), args[3]);
      return;
    }
    long start = System.nanoTime();
    int loaded = load(ClassForest.class.getClassLoader(), Integer.parseInt(args[1]));
    long millis = (System.nanoTime() - start) / 1_000_000;
    long cpuMillis = ProcessHandle.current()
        .info()
        .totalCpuDuration()
        .map(Duration::toMillis)
        .orElse(-1L);
    System.gc();
    long heapKib = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
    System.out.println("FOREST loaded=" + loaded + " millis=" + millis + " cpu_ms=" + cpuMillis
        + " heap_kib=" + heapKib);
  }

  /**
   * Loads the optional integrations, as a framework does (a presence check that fails is caught),
   * the first {@code classes} leaf classes (and so every super type they have), and last
   * {@link #OPTIONAL_STORE} (which needs the interface given to {@link #write} on the class path).
   */
  public static int load(ClassLoader loader, int classes) throws ClassNotFoundException {
    Class.forName(OPTIONAL_INTEGRATION, false, loader);
    try {
      Class.forName(ABSENT_SUPERCLASS, false, loader);
      throw new IllegalStateException(
          ABSENT_SUPERCLASS + " loaded although its superclass is absent");
    } catch (NoClassDefFoundError absent) {
      // As expected: the integration is not present.
    }
    for (int i = 0; i < classes; i++) {
      Class.forName(leaf(i).replace('/', '.'), false, loader);
    }
    // Last, as an application's own classes load after its framework's.
    Class.forName(OPTIONAL_STORE, false, loader);
    return classes;
  }

  /**
   * Writes the forest with {@code classes} leaf classes to {@code jar};
   * {@code storeInterface}: see {@link #OPTIONAL_STORE}. */
  public static void write(Path jar, int classes, String storeInterface) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (int i = 0; i < INTERFACES; i++) {
        add(out, anInterface(iface(i), i == 0 ? new String[0] : new String[] {iface((i - 1) / 2)}));
      }
      for (int b = 0; b < BASES; b++) {
        String superName = b < JDK_ROOTS.length ? JDK_ROOTS[b] : base((b - JDK_ROOTS.length) / 4);
        int access = Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT;
        add(out, aClass(base(b), access, superName, iface(b % INTERFACES), "java/io/Serializable"));
      }
      for (int i = 0; i < classes; i++) {
        String[] interfaces = i % 3 == 0
            ? new String[] {iface((i * 7) % INTERFACES), "java/lang/Runnable"}
            : new String[] {iface(i % INTERFACES)};
        add(out, aClass(leaf(i), Opcodes.ACC_PUBLIC, base(i % BASES), interfaces));
      }
      add(out, optionalIntegration());
      add(out, aClass(ABSENT_SUPERCLASS.replace('.', '/'), Opcodes.ACC_PUBLIC, "absent/Flux"));
      add(out, optionalStore(storeInterface.replace('.', '/')));
    }
  }

  private static String iface(int i) {
    return PACKAGE + "Api" + i;
  }

  private static String base(int b) {
    return PACKAGE + "Base" + b;
  }

  private static String leaf(int i) {
    return PACKAGE + "Component" + i;
  }

  private static void add(JarOutputStream out, byte[] classFile) throws IOException {
    String name = new net.bytebuddy.jar.asm.ClassReader(classFile).getClassName();
    out.putNextEntry(new ZipEntry(name + ".class"));
    out.write(classFile);
    out.closeEntry();
  }

  private static byte[] anInterface(String name, String... interfaces) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V11, INTERFACE, name, null, OBJECT, interfaces);
    for (int m = 0; m < 4; m++) {
      String method = name.substring(PACKAGE.length()).toLowerCase() + m;
      writer
          .visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, method, "(I)I", null, null)
          .visitEnd();
    }
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** A class with a constructor and a handful of small methods. */
  private static byte[] aClass(String name, int access, String superName, String... interfaces) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V11, access, name, null, superName, interfaces);
    addConstructor(writer, superName);
    for (int m = 0; m < 6; m++) {
      MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC, "work" + m, "(I)I", null, null);
      method.visitCode();
      method.visitVarInsn(Opcodes.ILOAD, 1);
      method.visitLdcInsn(m * 31 + name.length());
      method.visitInsn(Opcodes.IADD);
      method.visitInsn(Opcodes.IRETURN);
      method.visitMaxs(0, 0);
      method.visitEnd();
    }
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** {@code public Name() { super(); }} */
  private static void addConstructor(ClassWriter writer, String superName) {
    MethodVisitor constructor = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    constructor.visitCode();
    constructor.visitVarInsn(Opcodes.ALOAD, 0);
    constructor.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
    constructor.visitInsn(Opcodes.RETURN);
    constructor.visitMaxs(0, 0);
    constructor.visitEnd();
  }

  /** {@code class OptionalStore implements Store { void persist(Object r) {} Object find(absent.Predicate p) } */
  private static byte[] optionalStore(String storeInterface) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    String[] interfaces = {storeInterface};
    writer.visit(
        Opcodes.V11,
        Opcodes.ACC_PUBLIC,
        OPTIONAL_STORE.replace('.', '/'),
        null,
        OBJECT,
        interfaces);
    addConstructor(writer, OBJECT);
    MethodVisitor persist =
        writer.visitMethod(Opcodes.ACC_PUBLIC, "persist", "(Ljava/lang/Object;)V", null, null);
    persist.visitCode();
    persist.visitInsn(Opcodes.RETURN);
    persist.visitMaxs(0, 0);
    persist.visitEnd();
    MethodVisitor find = writer.visitMethod(Opcodes.ACC_PUBLIC, "find", FIND, null, null);
    find.visitCode();
    find.visitInsn(Opcodes.ACONST_NULL);
    find.visitInsn(Opcodes.ARETURN);
    find.visitMaxs(0, 0);
    find.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** {@code interface OptionalIntegration { Object find(absent.Predicate predicate); }} */
  private static byte[] optionalIntegration() {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V11,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT,
        OPTIONAL_INTEGRATION.replace('.', '/'),
        null,
        "java/lang/Object",
        new String[0]);
    writer
        .visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "find", FIND, null, null)
        .visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }
}
