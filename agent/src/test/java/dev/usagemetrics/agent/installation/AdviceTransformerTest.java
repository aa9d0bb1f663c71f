package dev.usagemetrics.agent.installation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.bootstrap.RecordingSink;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.fixtures.InstrumentedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.SQLTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transformer on real class files, in process: what it decides to weave, and that the woven
 * classes run and report through the bridge exactly as the advice says.
 */
class AdviceTransformerTest {

  private static final String FIXTURES = InstrumentedFixtures.class.getName();

  private final RecordingSink sink = new RecordingSink(queue -> true);

  @AfterEach
  void disconnect() {
    UsageMetricsBridge.connect(null);
  }

  @Test
  void wovenImplementationReportsEachCallAndKeepsResultsAndExceptions() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(InstrumentedFixtures.TokenRepository.class, configured().transformer);
    Object repository = woven.getConstructor().newInstance();
    Method persist = woven.getMethod("persist", long.class);

    assertEquals(42L, persist.invoke(repository, 21L));
    InvocationTargetException thrown = assertThrows(InvocationTargetException.class, () -> persist.invoke(repository, -1L));
    assertTrue(thrown.getCause() instanceof SQLTimeoutException);
    assertEquals(7L, woven.getMethod("unrelated", long.class).invoke(repository, 7L));

    assertEquals(List.of("success", "failed"), sink.events);
    assertSame(thrown.getCause(), sink.lastError);
  }

  @Test
  void classesOutsideTheConfiguredHierarchiesAreLeftUnchanged() throws IOException {
    Installed installed = configured();
    assertNull(transform(installed.transformer, InstrumentedFixtures.Unrelated.class));
    assertNull(transform(installed.transformer, InstrumentedFixtures.Repository.class), "an interface without a body has nothing to time");
    assertEquals(Set.of(InstrumentedFixtures.TokenRepository.class.getName()), reportAfter(installed, InstrumentedFixtures.TokenRepository.class));
  }

  @Test
  void queueInheritingItsMethodsGainsCountedOverrides() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(InstrumentedFixtures.Backlog.class, configured().transformer);
    assertNotNull(woven.getDeclaredMethod("offer", Object.class), "an override calling super was added");
    assertNotNull(woven.getDeclaredMethod("poll"));
    @SuppressWarnings("unchecked")
    Queue<String> backlog = (Queue<String>) woven.getConstructor().newInstance();
    long queueSizeBefore = UsageMetricsBridge.queueSize();

    assertTrue(backlog.offer("a"));
    assertTrue(backlog.offer("b"));
    assertEquals("a", backlog.poll());
    assertEquals(1, backlog.size());
    assertEquals(1L, UsageMetricsBridge.queueSize() - queueSizeBefore);
  }

  @Test
  void theNameAloneRejectsJdkAndAgentClasses() throws IOException {
    AdviceTransformer transformer = configured().transformer;
    assertFalse(transformer.mayBeTarget("java/util/concurrent/ArrayBlockingQueue"));
    assertFalse(transformer.mayBeTarget("dev/usagemetrics/agent/metrics/UsageMetricsRecorder"));
    assertTrue(transformer.mayBeTarget("com/example/Anything"));
  }

  @Test
  void aClassExtendingOnlyObjectIsRejectedWithoutBuildingTheRules() throws IOException {
    AdviceTransformer transformer =
        new AdviceTransformer(() -> { throw new AssertionError("the rules were built"); }, Set.of(), Set.of(), configured().report);
    assertNull(transform(transformer, InstrumentedFixtures.Unrelated.class));
  }

  @Test
  void rulesThatCannotBeBuiltLeaveEveryClassUnchanged() throws IOException {
    int[] attempts = new int[1];
    AdviceTransformer transformer =
        new AdviceTransformer(() -> {
          attempts[0]++;
          throw new IllegalStateException("broken rules");
        }, Set.of(), Set.of(), configured().report);
    assertNull(transform(transformer, InstrumentedFixtures.TokenRepository.class));
    assertNull(transform(transformer, InstrumentedFixtures.Backlog.class));
    assertEquals(1, attempts[0], "built once, failure remembered");
  }

  @Test
  void aClassFileThatCannotBeReadLoadsUnchangedInsteadOfFailing() throws IOException {
    AdviceTransformer transformer = configured().transformer;
    byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 0, 1, 2};
    assertNull(transformer.transform(null, getClass().getClassLoader(), "com/example/Broken", null, null, garbage));
  }

  private Set<String> reportAfter(Installed installed, Class<?> type) throws IOException {
    assertNotNull(transform(installed.transformer, type));
    return installed.report.instrumentedClasses();
  }

  /** The transformer the installer builds for a configuration naming the fixtures. */
  private static Installed configured() throws IOException {
    try {
      AgentConfig config =
          ConfigFixtures.parse(
              Map.of(),
              "persist:",
              "  targets:",
              "    - class: " + FIXTURES + "$Repository",
              "      methods: [persist]",
              "queue:",
              "  targets:",
              "    - class: " + FIXTURES + "$Backlog",
              "      enqueue: [offer]",
              "      dequeue: [poll]",
              "export:",
              "  otlp_enabled: false");
      TargetReport report = new TargetReport(config);
      return new Installed(InstrumentationInstaller.transformerFor(config, report, Set.of()), report);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] transform(AdviceTransformer transformer, Class<?> type) throws IOException {
    return transformer.transform(
        null, type.getClassLoader(), type.getName().replace('.', '/'), null, type.getProtectionDomain(), classFile(type));
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /** Defines the woven class file in its own loader, which finds everything else (the bridge too) through the test's. */
  private static Class<?> wovenCopy(Class<?> type, AdviceTransformer transformer) throws IOException {
    byte[] woven = transform(transformer, type);
    assertNotNull(woven, type + " was not instrumented");
    return new ClassLoader(AdviceTransformerTest.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(type.getName(), woven, 0, woven.length);
      }
    }.define();
  }

  private static final class Installed {
    final AdviceTransformer transformer;
    final TargetReport report;

    Installed(AdviceTransformer transformer, TargetReport report) {
      this.transformer = transformer;
      this.report = report;
    }
  }
}
