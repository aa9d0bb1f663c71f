package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.bootstrap.RecordingSink;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.fixtures.InstrumentedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;
import java.sql.SQLTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transformer on real class files, in process: what it decides to weave, and that the woven
 * classes run and report through the bridge exactly as the advice says.
 */
class AdviceTransformerTest {

  private static final String FIXTURES = InstrumentedFixtures.class.getName();

  private static final Instrumentation INSTRUMENTATION = ByteBuddyAgent.install();

  private final RecordingSink sink = new RecordingSink(queue -> true);
  /** Set by a test that registers the transformer with this JVM. */
  private Registered registered;

  @AfterEach
  void disconnect() {
    UsageMetricsBridge.connect(null);
    if (registered != null) {
      INSTRUMENTATION.removeTransformer(registered);
    }
  }

  @Test
  void wovenImplementationReportsEachCallAndKeepsResultsAndExceptions() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven =
        wovenCopy(InstrumentedFixtures.TokenRepository.class, configured().transformer);
    Object repository = woven.getConstructor().newInstance();
    Method persist = woven.getMethod("persist", long.class);

    assertEquals(42L, persist.invoke(repository, 21L));
    InvocationTargetException thrown =
        assertThrows(InvocationTargetException.class, () -> persist.invoke(repository, -1L));
    assertTrue(thrown.getCause() instanceof SQLTimeoutException);
    assertEquals(7L, woven.getMethod("unrelated", long.class).invoke(repository, 7L));

    assertEquals(List.of("success", "failed"), sink.events);
    assertSame(thrown.getCause(), sink.lastError);
  }

  @Test
  void classesOutsideTheConfiguredHierarchiesAreLeftUnchanged() throws IOException {
    Installed installed = configured();
    assertNull(transform(installed.transformer, InstrumentedFixtures.Unrelated.class));
    assertNull(
        transform(installed.transformer, InstrumentedFixtures.Repository.class),
        "an interface without a body has nothing to time");
    assertNotNull(transform(installed.transformer, InstrumentedFixtures.TokenRepository.class));
  }

  @Test
  void queueInheritingItsMethodsGainsCountedOverrides() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(InstrumentedFixtures.Backlog.class, configured().transformer);
    assertNotNull(
        woven.getDeclaredMethod("offer", Object.class), "an override calling super was added");
    assertNotNull(woven.getDeclaredMethod("poll"));
    assertOfferAndPollCounted(woven);
  }

  @Test
  void aQueueInheritingFromTheJdkGainsCountedOverridesWhenAJdkInterfaceIsTheTarget()
      throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(
        InstrumentedFixtures.PlainJdkQueue.class, configured("java.util.Queue").transformer);
    assertNotNull(
        woven.getDeclaredMethod("offer", Object.class),
        "LinkedBlockingQueue is in Queue's hierarchy, yet never instrumented: the override is needed");
    assertOfferAndPollCounted(woven);
  }

  @Test
  void aQueueInheritingFromAConfiguredJdkClassGainsCountedOverrides() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(
        InstrumentedFixtures.PlainJdkQueue.class,
        configured("java.util.concurrent.LinkedBlockingQueue").transformer);
    assertNotNull(
        woven.getDeclaredMethod("offer", Object.class),
        "the configured JDK class is never instrumented: the override is needed");
    assertOfferAndPollCounted(woven);
  }

  @Test
  void aQueueJoiningAConfiguredInterfaceBelowAJdkClassGainsCountedOverrides() throws Exception {
    UsageMetricsBridge.connect(sink);
    Class<?> woven = wovenCopy(
        InstrumentedFixtures.PendingJdkQueue.class, configured(FIXTURES + "$Pending").transformer);
    assertNotNull(woven.getDeclaredMethod("offer", Object.class));
    assertOfferAndPollCounted(woven);
  }

  @Test
  void aSubclassOfAConfiguredQueueClassIsLeftAloneAndCountedByTheOverridesItInherits()
      throws Exception {
    UsageMetricsBridge.connect(sink);
    AdviceTransformer transformer = configured().transformer;
    assertNull(transform(transformer, InstrumentedFixtures.BacklogChild.class));
    byte[] backlog = transform(transformer, InstrumentedFixtures.Backlog.class);
    Class<?> child = new ClassLoader(AdviceTransformerTest.class.getClassLoader()) {
      Class<?> defineBoth() throws IOException {
        defineClass(InstrumentedFixtures.Backlog.class.getName(), backlog, 0, backlog.length);
        byte[] childFile = classFile(InstrumentedFixtures.BacklogChild.class);
        return defineClass(
            InstrumentedFixtures.BacklogChild.class.getName(), childFile, 0, childFile.length);
      }
    }.defineBoth();
    assertOfferAndPollCounted(child);
  }

  @Test
  void aClassThatCanNeedNoAdviceIsDecidedWithoutReadingItsSuperTypes() throws IOException {
    AdviceTransformer transformer = configured().transformer;
    ReadCountingLoader loader = new ReadCountingLoader();
    for (Class<?> type : List.of(
        InstrumentedFixtures.TokenRepositoryChild.class,
        InstrumentedFixtures.BacklogChild.class,
        InstrumentedFixtures.PlainJdkQueue.class,
        InstrumentedFixtures.PendingJdkQueue.class)) {
      assertNull(transform(transformer, type, loader), type.getName());
    }
    assertEquals(
        Map.of(FIXTURES.replace('.', '/') + "$Backlog.class", 1),
        loader.reads,
        "only the configured queue type's header, once, to learn it is a class");
  }

  /** Two offers and a poll on a new instance of {@code queueClass} leave the counted size one higher. */
  private static void assertOfferAndPollCounted(Class<?> queueClass)
      throws ReflectiveOperationException {
    @SuppressWarnings("unchecked")
    Queue<String> queue = (Queue<String>) queueClass.getConstructor().newInstance();
    long queueSizeBefore = UsageMetricsBridge.queueSize();

    assertTrue(queue.offer("a"));
    assertTrue(queue.offer("b"));
    assertEquals("a", queue.poll());
    assertEquals(1, queue.size());
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
  void theNameFilterLetsTheJdkDynamicProxiesThroughAndNothingElseOfTheJdk() throws IOException {
    AdviceTransformer transformer = configured().transformer;
    for (String proxy : List.of(
        "jdk/proxy1/$Proxy0",
        "jdk/proxy12/$Proxy139",
        "com/sun/proxy/$Proxy7",
        "com/sun/proxy/jdk/proxy3/$Proxy21")) {
      assertTrue(transformer.mayBeTarget(proxy), proxy);
    }
    for (String jdk : List.of(
        "jdk/proxy1/Other",
        "jdk/proxy/$Proxy1",
        "jdk/proxy1/$Proxy",
        "jdk/proxy1/$Proxy1$Inner",
        "jdk/proxy1/sub/$Proxy1",
        "jdk/proxyA/$Proxy1",
        "jdk/internal/misc/Unsafe",
        "com/sun/proxy/$ProxyX",
        "com/sun/proxy/$Proxy1/X",
        "com/sun/proxy/Other",
        "com/sun/proxy/jdk/proxy1/Other",
        "sun/proxy/$Proxy1",
        "java/lang/reflect/Proxy")) {
      assertFalse(transformer.mayBeTarget(jdk), jdk);
    }
  }

  @Test
  void aJdkDynamicProxyOfAConfiguredInterfaceIsInstrumentedAndCountsOncePerCall() throws Exception {
    UsageMetricsBridge.connect(sink);
    Object target = wovenCopy(InstrumentedFixtures.TokenRepository.class, configured().transformer)
        .getConstructor()
        .newInstance();
    InstrumentedFixtures.Repository working = proxy((self, method, args) -> (Long) args[0] * 2);
    InstrumentedFixtures.Repository delegating = proxy((self, method, args) -> {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    assertEquals(
        "jdk.proxy",
        working.getClass().getModule().getName().replaceAll("[0-9]+$", ""),
        "defined in the JDK's dynamic module, as any proxy of public interfaces");
    Set<String> instrumented = registered.woven;
    assertTrue(
        instrumented.containsAll(
            Set.of(working.getClass().getName(), delegating.getClass().getName())),
        instrumented.toString());

    assertEquals(42L, working.persist(21L));
    assertEquals(10L, delegating.persist(5L));
    SQLTimeoutException thrown =
        assertThrows(SQLTimeoutException.class, () -> delegating.persist(-1L));

    assertEquals(
        List.of("success", "success", "failed"),
        sink.events,
        "the delegate's own advice runs inside the proxy's: one count per call");
    assertSame(thrown, sink.lastError);
  }

  @Test
  void classesDerivingOnlyFromOtherTypesAreLeftUnchanged() throws IOException {
    AdviceTransformer transformer = configured(FIXTURES + "$NoSuchQueue").transformer;
    assertNull(transform(transformer, InstrumentedFixtures.Unrelated.class), "extends only Object");
    assertNull(
        transform(transformer, InstrumentedFixtures.PlainJdkQueue.class),
        "derives from JDK types only");
    assertNull(
        transform(transformer, InstrumentedFixtures.Backlog.class),
        "a queue; this configuration names another");
  }

  @Test
  void aClassFileThatCannotBeReadLoadsUnchangedInsteadOfFailing() throws IOException {
    AdviceTransformer transformer = configured().transformer;
    byte[] garbage = {(byte) 0xCA, (byte) 0xFE, 0, 1, 2};
    assertNull(transformer.transform(
        null, getClass().getClassLoader(), "com/example/Broken", null, null, garbage));
  }

  /** The transformer the installer builds for a configuration naming the fixtures. */
  private static Installed configured() throws IOException {
    return configured(FIXTURES + "$Backlog");
  }

  /** As {@link #configured()} with {@code queueClass} as the queue target. */
  private static Installed configured(String queueClass) throws IOException {
    try {
      AgentConfig config = ConfigFixtures.parse(
          Map.of(),
          "persist:",
          "  targets:",
          "    - class: " + FIXTURES + "$Repository",
          "      methods: [persist]",
          "queue:",
          "  targets:",
          "    - class: " + queueClass,
          "      enqueue: [offer]",
          "      dequeue: [poll]",
          "export:",
          "  otlp_enabled: false");
      TargetReport report = new TargetReport(config);
      return new Installed(
          InstrumentationInstaller.transformerFor(config, report, Set.of()), report);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A new dynamic proxy class implementing the configured interface, defined while the configured
   * transformer is registered with this JVM.
   */
  private InstrumentedFixtures.Repository proxy(InvocationHandler handler) throws IOException {
    if (registered == null) {
      registered = new Registered(configured().transformer);
      INSTRUMENTATION.addTransformer(registered);
    }
    // A loader of its own each time: the JDK caches a proxy class per loader and interface list.
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
    return (InstrumentedFixtures.Repository) Proxy.newProxyInstance(
        loader, new Class<?>[] {InstrumentedFixtures.Repository.class}, handler);
  }

  private static byte[] transform(AdviceTransformer transformer, Class<?> type) throws IOException {
    return transform(transformer, type, type.getClassLoader());
  }

  /** {@code type}'s class file transformed as if {@code loader} defined it. */
  private static byte[] transform(AdviceTransformer transformer, Class<?> type, ClassLoader loader)
      throws IOException {
    return transformer.transform(
        null,
        loader,
        type.getName().replace('.', '/'),
        null,
        type.getProtectionDomain(),
        classFile(type));
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  /**
   * Defines the woven class file in its own loader, which finds everything else (the bridge too)
   * through the test's.
   */
  private static Class<?> wovenCopy(Class<?> type, AdviceTransformer transformer)
      throws IOException {
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

  /** A transformer registered with this JVM, recording the names of the classes it changed. */
  private static final class Registered implements ClassFileTransformer {
    final AdviceTransformer transformer;
    final Set<String> woven = ConcurrentHashMap.newKeySet();

    Registered(AdviceTransformer transformer) {
      this.transformer = transformer;
    }

    @Override
    public byte[] transform(
        Module module,
        ClassLoader loader,
        String internalName,
        Class<?> classBeingRetransformed,
        ProtectionDomain protectionDomain,
        byte[] classFile) {
      byte[] changed = transformer.transform(
          module, loader, internalName, classBeingRetransformed, protectionDomain, classFile);
      if (changed != null) {
        woven.add(internalName.replace('/', '.'));
      }
      return changed;
    }
  }
}
