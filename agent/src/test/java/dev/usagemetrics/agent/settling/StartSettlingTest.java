package dev.usagemetrics.agent.settling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartSettlingTest {

  private static final long WINDOW_MILLIS = StartSettling.WINDOW.toMillis();
  /** Far beyond any wait that should end: a slow machine must not fail a test, only a wrong wait. */
  private static final Duration GENEROUS = Duration.ofSeconds(5);

  /** What the settling did to the instrumentation, in order: transformers added and removed. */
  private final List<String> calls = new ArrayList<>();

  private final Instrumentation instrumentation = (Instrumentation) Proxy.newProxyInstance(
      getClass().getClassLoader(),
      new Class<?>[] {Instrumentation.class},
      (proxy, method, args) -> {
        synchronized (calls) {
          calls.add(method.getName());
        }
        return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
      });

  private final StartSettling settling = StartSettling.watch(instrumentation);
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private Thread loader;

  @AfterEach
  void stopLoading() throws InterruptedException {
    loading.set(false);
    if (loader != null) {
      loader.join();
    }
  }

  @Test
  void anApplicationLoadingNoClassesHasSettledAfterOneWindow() throws InterruptedException {
    long start = System.nanoTime();
    settling.awaitSettled(Duration.ofSeconds(30));
    long waitedMillis = millisSince(start);
    assertTrue(
        waitedMillis >= WINDOW_MILLIS && waitedMillis < GENEROUS.toMillis(), waitedMillis + " ms");
    assertEquals(List.of("addTransformer", "removeTransformer"), calls());
  }

  @Test
  void aFewClassesAWindowAreASettledPace() throws Exception {
    loadClassesEvery(Duration.ofMillis(WINDOW_MILLIS / 5));
    awaitSettledAsync(Duration.ofSeconds(30)).get(GENEROUS.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Test
  void waitsWhileClassesLoadAtAStartsPaceThenSettles() throws Exception {
    loadClassesEvery(Duration.ofMillis(1));
    CompletableFuture<Void> settled = awaitSettledAsync(Duration.ofSeconds(60));
    Thread.sleep(6 * WINDOW_MILLIS);
    assertFalse(settled.isDone(), "settled while classes were loading at a start's pace");
    assertEquals(List.of("addTransformer"), calls());

    loading.set(false);
    settled.get(GENEROUS.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(List.of("addTransformer", "removeTransformer"), calls());
  }

  @Test
  void stopWaitingEndsTheWaitAtOnceAndForGood() throws Exception {
    loadClassesEvery(Duration.ofMillis(1));
    CompletableFuture<Void> settled = awaitSettledAsync(Duration.ofSeconds(60));
    Thread.sleep(3 * WINDOW_MILLIS);
    assertFalse(settled.isDone(), "settled while classes were loading at a start's pace");

    settling.stopWaiting();
    settled.get(GENEROUS.toMillis(), TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    settling.awaitSettled(Duration.ofSeconds(60));
    assertTrue(millisSince(start) < WINDOW_MILLIS, "a wait after stopWaiting() still waited");
  }

  @Test
  void theLongestWaitEndsAStartThatNeverSettles() throws Exception {
    loadClassesEvery(Duration.ofMillis(1));
    long longestMillis = 5 * WINDOW_MILLIS;
    long start = System.nanoTime();
    settling.awaitSettled(Duration.ofMillis(longestMillis));
    long waitedMillis = millisSince(start);
    assertTrue(
        waitedMillis >= longestMillis && waitedMillis < GENEROUS.toMillis(), waitedMillis + " ms");
    assertEquals(List.of("addTransformer", "removeTransformer"), calls());
  }

  @Test
  void theLongestWaitIsTenSecondsOrTheExportIntervalWhenShorter() {
    assertEquals(Duration.ofSeconds(10), StartSettling.longestWait(null));
    assertEquals(Duration.ofSeconds(10), StartSettling.longestWait(Duration.ofMinutes(1)));
    assertEquals(Duration.ofSeconds(2), StartSettling.longestWait(Duration.ofSeconds(2)));
  }

  @Test
  void changesNoClass() {
    assertNull(settling.transform(null, null, "a/B", null, null, new byte[] {1, 2}));
  }

  /** Offers a class every {@code pause}, as an application loading classes would, until stopped. */
  private void loadClassesEvery(Duration pause) {
    loader = new Thread(() -> {
      while (loading.get()) {
        settling.transform(null, null, "a/B", null, null, new byte[0]);
        try {
          TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    loader.start();
  }

  private CompletableFuture<Void> awaitSettledAsync(Duration longest) {
    return CompletableFuture.runAsync(() -> {
      try {
        settling.awaitSettled(longest);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private List<String> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
