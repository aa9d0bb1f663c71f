package dev.usagemetrics.agent.injection;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/**
 * Canary for {@link BootLoaderDefiner}, which defines the bridge in the bootstrap loader through
 * the JDK-internal {@code static native Class<?> ClassLoader.defineClass1(ClassLoader, String,
 * byte[], int, int, ProtectionDomain, String)}. When a JDK changes it, the agent still works (it
 * appends a jar to the bootstrap class path instead, which turns class-data sharing off and makes
 * the JVM print a line of its own); this test is what says why.
 */
class BootLoaderDefinerCanaryTest {

  private static final String WHERE =
      " (see BootLoaderDefiner in agent/src/main/java/dev/usagemetrics/agent/injection"
          + " and docs/internals.md; this JDK: " + System.getProperty("java.vm.vendor") + " "
          + System.getProperty("java.runtime.version") + ")";

  private static final String DEFINED_BY_CANARY =
      "dev.usagemetrics.agent.injection.boot.DefinedByCanary";

  @Test
  void classLoaderStillDeclaresDefineClass1InTheFormTheDefinerCalls() {
    Class<?>[] expected = BootLoaderDefiner.DEFINE_CLASS_1.parameterArray();
    Method found = null;
    for (Method method : ClassLoader.class.getDeclaredMethods()) {
      if (method.getName().equals("defineClass1")
          && Arrays.equals(method.getParameterTypes(), expected)) {
        found = method;
      }
    }
    if (found == null
        || !Modifier.isStatic(found.getModifiers())
        || found.getReturnType() != BootLoaderDefiner.DEFINE_CLASS_1.returnType()) {
      throw new AssertionError(
          "this JDK's ClassLoader no longer declares static Class<?> defineClass1"
              + BootLoaderDefiner.DEFINE_CLASS_1
              + ", which BootLoaderDefiner calls to define the bridge in the bootstrap "
              + "loader; it declares " + defineClass1Forms()
              + ". A JDK upgrade changed this internal method: the agent "
              + "falls back to appending a jar to the bootstrap class path (a JVM warning, class-data sharing off for "
              + "application classes) until DEFINE_CLASS_1 and the call in BootLoaderDefiner.define follow it"
              + WHERE);
    }
  }

  @Test
  void definesAClassInTheBootstrapLoader() throws Exception {
    BootLoaderDefiner definer;
    try {
      definer = BootLoaderDefiner.open(ByteBuddyAgent.install());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new AssertionError(
          "BootLoaderDefiner cannot reach ClassLoader.defineClass1 on this JDK (" + e + "): a JDK "
              + "upgrade changed the method, or stopped Instrumentation.redefineModule from opening java.lang to the "
              + "definer's own loader; the agent falls back to appending a jar to the bootstrap class path"
              + WHERE,
          e);
    }
    Class<?> defined = definer.define(DEFINED_BY_CANARY, AgentClassFiles.read(DEFINED_BY_CANARY));
    assertNull(
        defined.getClassLoader(),
        "defineClass1 with a null loader no longer defines in the bootstrap loader" + WHERE);
    assertSame(
        defined,
        Class.forName(DEFINED_BY_CANARY, false, null),
        "the bootstrap loader does not find the class defineClass1 defined there" + WHERE);
  }

  private static String defineClass1Forms() {
    String forms = Arrays.stream(ClassLoader.class.getDeclaredMethods())
        .filter(method -> method.getName().equals("defineClass1"))
        .map(Method::toGenericString)
        .collect(Collectors.joining("; "));
    return forms.isEmpty() ? "no method of that name" : forms;
  }
}
