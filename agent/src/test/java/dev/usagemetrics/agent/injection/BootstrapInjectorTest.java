package dev.usagemetrics.agent.injection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/**
 * Injection into this test JVM's bootstrap loader, through its real {@link Instrumentation}, of
 * classes named only as strings (never loaded by the application loader first). Each test injects
 * a class of its own: the bootstrap loader keeps what it was given.
 */
class BootstrapInjectorTest {

  private static final String DEFINED_DIRECTLY =
      "dev.usagemetrics.agent.injection.boot.DefinedDirectly";
  private static final String APPENDED_INSTEAD =
      "dev.usagemetrics.agent.injection.boot.AppendedInstead";

  private static final Instrumentation INSTRUMENTATION = ByteBuddyAgent.install();

  @Test
  void definesTheClassesDirectlyWithoutAJarAndWithoutOpeningJavaLangToTheAgent() throws Exception {
    RecordingInstrumentation instrumentation = new RecordingInstrumentation(false);
    BootstrapInjector.inject(instrumentation.proxy, List.of(DEFINED_DIRECTLY));

    assertEquals(
        List.of("redefineModule"),
        instrumentation.calls,
        "no jar appended to the bootstrap class path");
    assertNull(Class.forName(DEFINED_DIRECTLY, false, null).getClassLoader());
    // The agent's module is the application's unnamed module: it must gain nothing.
    assertFalse(Object.class.getModule().isOpen("java.lang", BootstrapInjector.class.getModule()));

    BootstrapInjector.inject(instrumentation.proxy, List.of(DEFINED_DIRECTLY));
    assertEquals(
        List.of("redefineModule"),
        instrumentation.calls,
        "a second injection finds the class already there");
  }

  @Test
  void appendsAJarWhenTheJdkRefusesDirectDefinition() throws Exception {
    RecordingInstrumentation instrumentation = new RecordingInstrumentation(true);
    BootstrapInjector.inject(instrumentation.proxy, List.of(APPENDED_INSTEAD));

    assertEquals(
        List.of("redefineModule", "appendToBootstrapClassLoaderSearch"), instrumentation.calls);
    assertNull(Class.forName(APPENDED_INSTEAD, false, null).getClassLoader());
  }

  /** This JVM's instrumentation, recording what is called; optionally refusing to modify modules. */
  private static final class RecordingInstrumentation {

    final List<String> calls = new ArrayList<>();
    final Instrumentation proxy;

    RecordingInstrumentation(boolean refuseModuleChanges) {
      proxy = (Instrumentation) Proxy.newProxyInstance(
          getClass().getClassLoader(),
          new Class<?>[] {Instrumentation.class},
          (self, method, args) -> {
            calls.add(method.getName());
            if (refuseModuleChanges && method.getName().equals("redefineModule")) {
              throw new UnsupportedOperationException(
                  "refused, as by a JDK that does not allow direct definition");
            }
            try {
              return method.invoke(INSTRUMENTATION, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
