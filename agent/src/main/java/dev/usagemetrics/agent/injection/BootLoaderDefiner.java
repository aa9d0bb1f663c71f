package dev.usagemetrics.agent.injection;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines classes directly in the bootstrap class loader through the JDK's own
 * {@code ClassLoader.defineClass1}, the native method behind every {@code defineClass}: no jar,
 * no change to the bootstrap class path, so the JVM prints nothing and keeps class-data sharing
 * on for the application's classes.
 *
 * <p>{@code defineClass1} is internal to {@code java.lang}. The package is opened (by {@link
 * Instrumentation#redefineModule}) not to the agent's module, which is the application's own
 * unnamed module (both are on the system class path), but to the unnamed module of a class
 * loader that holds nothing but {@link IsolatedLookup}: the application gains no access it did
 * not have.
 *
 * <p>{@code defineClass1} has had this static form since Java 11 (tested on 17 and 25). On a JDK
 * where it differs, {@link #open} throws {@link NoSuchMethodException}.
 */
final class BootLoaderDefiner {

  /** Named, not referenced: a reference would load it into the agent's loader too. */
  private static final String ISOLATED_LOOKUP = "dev.usagemetrics.agent.injection.IsolatedLookup";

  /** Shown as the classes' source by {@code -Xlog:class+load}. */
  private static final String SOURCE = "usage-metrics-agent";

  /** The form of {@code ClassLoader.defineClass1} called (checked by {@code BootLoaderDefinerCanaryTest}). */
  static final MethodType DEFINE_CLASS_1 = MethodType.methodType(
      Class.class,
      ClassLoader.class,
      String.class,
      byte[].class,
      int.class,
      int.class,
      ProtectionDomain.class,
      String.class);

  private final MethodHandle defineClass1;

  private BootLoaderDefiner(MethodHandle defineClass1) {
    this.defineClass1 = defineClass1;
  }

  /** Gains access to {@code ClassLoader.defineClass1}; throws when this JDK does not allow it. */
  static BootLoaderDefiner open(Instrumentation instrumentation)
      throws IOException, ReflectiveOperationException {
    Class<?> isolated = new IsolatedLoader().define(ISOLATED_LOOKUP);
    Module javaBase = Object.class.getModule();
    instrumentation.redefineModule(
        javaBase,
        Set.of(),
        Map.of(),
        Map.of("java.lang", Set.of(isolated.getModule())),
        Set.of(),
        Map.of());
    MethodHandles.Lookup lookup =
        (MethodHandles.Lookup) isolated.getMethod("lookup").invoke(null);
    return new BootLoaderDefiner(MethodHandles.privateLookupIn(ClassLoader.class, lookup)
        .findStatic(ClassLoader.class, "defineClass1", DEFINE_CLASS_1));
  }

  /** Defines {@code className} from {@code classFile} in the bootstrap class loader. */
  Class<?> define(String className, byte[] classFile) {
    try {
      return (Class<?>) defineClass1.invokeExact(
          (ClassLoader) null,
          className,
          classFile,
          0,
          classFile.length,
          (ProtectionDomain) null,
          SOURCE);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable impossible) {
      // A native method declaring no checked exception.
      throw new IllegalStateException(impossible);
    }
  }

  /** A class loader of its own for {@link IsolatedLookup}; its parent is the bootstrap loader. */
  private static final class IsolatedLoader extends ClassLoader {

    IsolatedLoader() {
      super(null);
    }

    Class<?> define(String className) throws IOException {
      byte[] classFile = AgentClassFiles.read(className);
      return defineClass(className, classFile, 0, classFile.length);
    }
  }
}
