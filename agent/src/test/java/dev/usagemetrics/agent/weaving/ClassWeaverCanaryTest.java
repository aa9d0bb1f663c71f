package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.usagemetrics.agent.bootstrap.RecordingSink;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.fixtures.InstrumentedFixtures;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Canary for {@link ClassWeaver}, which copies what ByteBuddy's own decoration
 * ({@code TypeWriter.Default.ForInlining.WithDecorationOnly}, used by {@code ByteBuddy.decorate}
 * and the agent builder) does with the internal {@code Implementation.Context.Disabled}, without
 * the rest of ByteBuddy's type-creation machinery. A ByteBuddy upgrade that changes that recipe
 * fails here, saying so, instead of leaving classes unmeasured in the field with one warning each.
 */
class ClassWeaverCanaryTest {

  private static final String WHERE =
      " (see ClassWeaver in agent/src/main/java/dev/usagemetrics/agent/weaving and"
          + " docs/internals.md; ByteBuddy here: "
          + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation()
          + ")";

  private static final Class<?> TARGET = InstrumentedFixtures.TokenRepository.class;

  private final RecordingSink sink = new RecordingSink(queue -> true);

  @AfterEach
  void disconnect() {
    UsageMetricsBridge.connect(null);
  }

  @Test
  void theInternalContextFactoryClassWeaverCallsIsNotOnItsWayOut() throws NoSuchMethodException {
    Method make = Implementation.Context.Factory.class.getMethod(
        "make",
        TypeDescription.class,
        AuxiliaryType.NamingStrategy.class,
        TypeInitializer.class,
        ClassFileVersion.class,
        ClassFileVersion.class,
        Implementation.Context.FrameGeneration.class);
    assertFalse(
        make.isAnnotationPresent(Deprecated.class),
        "ByteBuddy deprecated " + make
            + ", which ClassWeaver calls to make the disabled implementation context: "
            + "the upgrade announces a new way; move ClassWeaver to it before the old one is removed"
            + WHERE);
  }

  @Test
  void writesTheSameClassFileAsByteBuddysOwnDecoration() throws Exception {
    Woven woven = weave();
    byte[] byteBuddys = new ByteBuddy()
        .with(Implementation.Context.Disabled.Factory.INSTANCE)
        .decorate(woven.type, woven.locator)
        .visit(woven.advice)
        .make(woven.pool)
        .getBytes();
    assertArrayEquals(
        byteBuddys,
        woven.classFile,
        "ClassWeaver no longer writes what ByteBuddy's own decoration writes for the same class and advice: the "
            + "ByteBuddy upgrade changed how TypeWriter.Default.ForInlining.WithDecorationOnly applies an "
            + "AsmVisitorWrapper (context, frame generation, reader or writer flags); repeat the change in ClassWeaver"
            + WHERE);
  }

  @Test
  void theWovenClassPassesTheVerifierAndRunsTheAdvice() throws Exception {
    UsageMetricsBridge.connect(sink);
    byte[] classFile = weave().classFile;
    Class<?> loaded;
    Object repository;
    try {
      loaded = new ClassLoader(getClass().getClassLoader()) {
        Class<?> define() {
          return defineClass(TARGET.getName(), classFile, 0, classFile.length);
        }
      }.define();
      repository = loaded.getConstructor().newInstance();
    } catch (LinkageError e) {
      throw new AssertionError(
          "the JVM rejects the class ClassWeaver wrote (" + e + "): with this ByteBuddy the "
              + "disabled context, the frame generation chosen or the class writer no longer fit the advice"
              + WHERE,
          e);
    }
    Method persist = loaded.getMethod("persist", long.class);
    assertEquals(42L, persist.invoke(repository, 21L));
    try {
      persist.invoke(repository, -1L);
      fail("the woven method no longer throws what the original throws" + WHERE);
    } catch (InvocationTargetException expected) {
      assertEquals("negative", expected.getCause().getMessage());
    }
    assertEquals(
        List.of("success", "failed"),
        sink.events,
        "the woven class runs, but the advice ClassWeaver wove did not report each call" + WHERE);
  }

  /** The fixture woven by ClassWeaver with the advice the agent's rules give it. */
  private static Woven weave() throws Exception {
    AgentConfig config = ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - class: " + InstrumentedFixtures.Repository.class.getName(),
        "      methods: [persist]",
        "export:",
        "  otlp_enabled: false");
    ClassFileLocator locator = ClassFileLocator.ForClassLoader.of(TARGET.getClassLoader());
    TypePool pool = TypePool.Default.of(locator);
    TypeDescription type = pool.describe(TARGET.getName()).resolve();
    List<AsmVisitorWrapper> rules = new InstrumentationRules(config, Set.of())
        .adviceFor(type, Set.of(InstrumentedFixtures.Repository.class.getName()));
    assertEquals(1, rules.size(), "the persist rule applies to the fixture");
    AsmVisitorWrapper advice = new AsmVisitorWrapper.Compound(rules);
    byte[] classFile;
    try {
      classFile = ClassWeaver.weave(type, locator.locate(TARGET.getName()).resolve(), pool, advice);
    } catch (RuntimeException e) {
      throw new AssertionError(
          "ClassWeaver cannot weave the agent's advice with this ByteBuddy (" + e + "): the advice"
              + " now asks for something the disabled implementation context or the flags it is given refuse"
              + WHERE,
          e);
    }
    return new Woven(type, locator, pool, advice, classFile);
  }

  private static final class Woven {
    final TypeDescription type;
    final ClassFileLocator locator;
    final TypePool pool;
    final AsmVisitorWrapper advice;
    final byte[] classFile;

    Woven(
        TypeDescription type,
        ClassFileLocator locator,
        TypePool pool,
        AsmVisitorWrapper advice,
        byte[] classFile) {
      this.type = type;
      this.locator = locator;
      this.pool = pool;
      this.advice = advice;
      this.classFile = classFile;
    }
  }
}
