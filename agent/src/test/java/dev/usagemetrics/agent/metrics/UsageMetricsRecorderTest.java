package dev.usagemetrics.agent.metrics;

import static dev.usagemetrics.agent.metrics.MetricDefinitions.ERROR;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_ERRORS;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_SECONDS;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.QUEUE_SIZE;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.bootstrap.QueueOperation;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.classification.DefaultErrorRules;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.classification.ErrorTypes;
import dev.usagemetrics.agent.matching.ConfiguredTypeFilter;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class UsageMetricsRecorderTest {

  private static final long MILLIS = 1_000_000L;
  private static final double EPSILON = 1e-9;

  /** The configured queue class. */
  static class TrackedQueue {}

  static final class TrackedQueueSubclass extends TrackedQueue {}

  private InMemoryMetricReader reader;
  private SdkMeterProvider provider;
  private UsageMetricsRecorder recorder;
  private long queueSizeBeforeTest;

  @BeforeEach
  void setUp() {
    reader = InMemoryMetricReader.create();
    recorder = recorderWithDefault(DefaultErrorRules.DEFAULT_ERROR_TYPE);
    queueSizeBeforeTest = UsageMetricsBridge.queueSize();
  }

  @AfterEach
  void tearDown() {
    UsageMetricsBridge.connect(null);
    if (provider != null) {
      provider.close();
    }
  }

  private static UsageMetricsRecorder recorderWithDefault(String defaultErrorType) {
    return new UsageMetricsRecorder(
        new ErrorClassifier(DefaultErrorRules.rules(), defaultErrorType),
        new ConfiguredTypeFilter(List.of(TrackedQueue.class.getName())));
  }

  /** Starts the SDK, as the agent does some time after recording began. */
  private void start() {
    provider = SdkMeterProvider.builder()
        .registerMetricReader(reader)
        .registerMetricProducer(recorder.metricProducer())
        .build();
  }

  // ---- reading what the SDK collected ----

  private Optional<MetricData> metric(String name) {
    return reader.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst();
  }

  private Optional<HistogramPointData> persistPoint(String outcome) {
    return metric(PERSIST_SECONDS.name())
        .flatMap(m -> m.getHistogramData().getPoints().stream()
            .filter(p ->
                p.getAttributes().equals(Attributes.of(PERSIST_SECONDS.attributeKey(), outcome)))
            .findFirst());
  }

  private long persistCount(String outcome) {
    return persistPoint(outcome).map(HistogramPointData::getCount).orElse(0L);
  }

  private long errorCount(String errorType) {
    return metric(PERSIST_ERRORS.name())
        .flatMap(m -> m.getLongSumData().getPoints().stream()
            .filter(p ->
                p.getAttributes().equals(Attributes.of(PERSIST_ERRORS.attributeKey(), errorType)))
            .findFirst())
        .map(LongPointData::getValue)
        .orElse(0L);
  }

  /** The gauge's value, less what the JVM-wide count held when the test started (earlier tests counted too). */
  private long queueSize() {
    return metric(QUEUE_SIZE.name())
        .map(m -> m.getLongSumData().getPoints().stream()
                .mapToLong(LongPointData::getValue)
                .sum()
            - queueSizeBeforeTest)
        .orElse(0L);
  }

  /** Changes the count as the advice does on a configured queue: an accepted offer per +1, a drainTo for a removal. */
  private static void queueChanged(long delta) {
    TrackedQueue queue = new TrackedQueue();
    for (long i = 0; i < delta; i++) {
      QueueOperation.enter(UsageMetricsBridge.ADDS_ONE, queue).exit(Boolean.TRUE, null);
    }
    if (delta < 0) {
      QueueOperation.enter(UsageMetricsBridge.REMOVES_COUNT, queue).exit((int) -delta, null);
    }
  }

  // ---- tests ----

  @Test
  void recordingsMadeBeforeTheSdkStartsAreExportedOnceItDoes() {
    recorder.persistSucceeded(2 * MILLIS, null);
    recorder.persistFailed(3 * MILLIS, new SQLTimeoutException(), null);
    queueChanged(+1);
    assertTrue(reader.collectAllMetrics().isEmpty(), "nothing is collected before the SDK exists");

    start();
    assertEquals(1, persistCount(SUCCESS));
    assertEquals(0.002, persistPoint(SUCCESS).get().getSum(), EPSILON);
    assertEquals(1, persistCount(ERROR));
    assertEquals(0.003, persistPoint(ERROR).get().getSum(), EPSILON);
    assertEquals(1, errorCount(ErrorTypes.TIMEOUT));
    assertEquals(1, queueSize());

    recorder.persistSucceeded(4 * MILLIS, null);
    queueChanged(+1);
    assertEquals(2, persistCount(SUCCESS));
    assertEquals(0.006, persistPoint(SUCCESS).get().getSum(), EPSILON);
    assertEquals(1, persistCount(ERROR), "counted once");
    assertEquals(2, queueSize());
  }

  @Test
  void histogramHasTheContractBucketBoundsAndUnit() {
    start();
    recorder.persistSucceeded(MILLIS / 2, null); // 0.0005 s
    recorder.persistSucceeded(2 * MILLIS, null); // 0.002 s
    recorder.persistSucceeded(7 * MILLIS, null); // 0.007 s
    recorder.persistSucceeded(300 * MILLIS, null); // 0.3 s
    recorder.persistSucceeded(2_000 * MILLIS, null); // 2 s

    MetricData histogram = metric(PERSIST_SECONDS.name()).get();
    assertEquals("s", histogram.getUnit());
    HistogramPointData point = persistPoint(SUCCESS).get();
    assertEquals(List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0), point.getBoundaries());
    assertEquals(List.of(1L, 1L, 1L, 0L, 0L, 1L, 0L, 1L), point.getCounts());
    assertEquals(5, point.getCount());
    assertEquals(2.3095, point.getSum(), EPSILON);
    assertEquals(0.0005, point.getMin(), EPSILON);
    assertEquals(2.0, point.getMax(), EPSILON);
  }

  @Test
  void successAndErrorAreSeparateOutcomes() {
    start();
    recorder.persistSucceeded(MILLIS, null);
    recorder.persistSucceeded(MILLIS, null);
    recorder.persistFailed(MILLIS, new SQLException("boom"), null);

    assertEquals(2, persistCount(SUCCESS));
    assertEquals(1, persistCount(ERROR));
    assertEquals(
        2, metric(PERSIST_SECONDS.name()).get().getHistogramData().getPoints().size());
  }

  @Test
  void errorsAreCountedByClassifiedType() {
    start();
    recorder.persistFailed(MILLIS, new SQLTimeoutException(), null);
    recorder.persistFailed(MILLIS, new RuntimeException(new SQLTimeoutException()), null);
    recorder.persistFailed(MILLIS, new IllegalArgumentException(), null);
    recorder.persistFailed(MILLIS, new SQLException("x", "23505"), null);
    recorder.persistFailed(MILLIS, new IllegalStateException(), null);

    assertEquals(2, errorCount(ErrorTypes.TIMEOUT));
    assertEquals(1, errorCount(ErrorTypes.VALIDATION));
    assertEquals(2, errorCount(ErrorTypes.DB_ERROR));
    assertEquals(5, persistCount(ERROR));
    MetricData errors = metric(PERSIST_ERRORS.name()).get();
    assertTrue(errors.getLongSumData().isMonotonic());
    assertEquals(3, errors.getLongSumData().getPoints().size());
  }

  @Test
  void queueSizeIsTheSumOfChangesWithoutAttributes() {
    start();
    queueChanged(+1);
    queueChanged(+1);
    queueChanged(+1);
    queueChanged(-1);
    queueChanged(-5);
    queueChanged(+2);

    MetricData queue = metric(QUEUE_SIZE.name()).get();
    assertFalse(queue.getLongSumData().isMonotonic(), "an up-down counter");
    LongPointData point = queue.getLongSumData().getPoints().iterator().next();
    assertEquals(-1, point.getValue() - queueSizeBeforeTest);
    assertEquals(Attributes.empty(), point.getAttributes());
  }

  @Test
  void onlyConfiguredQueueClassesAndTheirSubclassesAreTracked() {
    assertTrue(recorder.tracksQueue(new TrackedQueue()));
    assertTrue(recorder.tracksQueue(new TrackedQueueSubclass()));
    assertTrue(recorder.tracksQueue(new TrackedQueue() {}), "anonymous subclass");
    assertFalse(recorder.tracksQueue(new ArrayDeque<>()));
    assertFalse(recorder.tracksQueue(new Object()));
  }

  @Test
  void queueOperationOnAnUnconfiguredClassChangesNothingThroughTheBridge() {
    start();
    UsageMetricsBridge.connect(recorder);
    int sharedAdd = UsageMetricsBridge.ADDS_ONE | UsageMetricsBridge.IN_SHARED_CLASS;

    QueueOperation other = QueueOperation.enter(sharedAdd, new ArrayDeque<String>());
    assertEquals(UsageMetricsBridge.NOT_TRACKED, other.state);
    other.exit(Boolean.TRUE, null);
    assertEquals(0, queueSize());

    QueueOperation tracked = QueueOperation.enter(sharedAdd, new TrackedQueueSubclass());
    assertNotEquals(UsageMetricsBridge.NOT_TRACKED, tracked.state);
    tracked.exit(Boolean.TRUE, null);
    assertEquals(1, queueSize());
  }

  @Test
  void stageCompletedNormallyIsASuccess() {
    start();
    recorder.persistReturnedStage(
        System.nanoTime() - 3 * MILLIS, CompletableFuture.completedFuture("ok"));

    assertEquals(1, persistCount(SUCCESS));
    assertTrue(persistPoint(SUCCESS).get().getSum() >= 0.003);
    assertEquals(0, persistCount(ERROR));
  }

  @Test
  void stageIsCountedWhenItCompletesNotWhenReturned() {
    start();
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.persistReturnedStage(System.nanoTime(), future);
    assertEquals(0, persistCount(SUCCESS));

    future.complete("later");
    assertEquals(1, persistCount(SUCCESS));
  }

  @Test
  void stageFailingWithWrappedTimeoutIsATimeoutError() {
    start();
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.persistReturnedStage(System.nanoTime(), future);
    future.completeExceptionally(new CompletionException(new SQLTimeoutException("slow")));

    assertEquals(1, persistCount(ERROR));
    assertEquals(1, errorCount(ErrorTypes.TIMEOUT));
    assertEquals(0, errorCount(ErrorTypes.DB_ERROR));
  }

  @Test
  void dependentStageFailureIsUnwrappedBeforeClassification() {
    start();
    CompletableFuture<String> source = new CompletableFuture<>();
    recorder.persistReturnedStage(System.nanoTime(), source.thenApply(String::trim));
    source.completeExceptionally(new IllegalArgumentException("bad"));

    assertEquals(1, errorCount(ErrorTypes.VALIDATION));
  }

  @Test
  void cancelledStageIsAnErrorOfTheDefaultType() {
    recorder = recorderWithDefault(ErrorTypes.VALIDATION);
    start();
    CompletableFuture<String> future = new CompletableFuture<>();
    recorder.persistReturnedStage(System.nanoTime(), future);
    future.cancel(true);

    assertEquals(1, persistCount(ERROR));
    assertEquals(1, errorCount(ErrorTypes.VALIDATION));
    assertEquals(0, errorCount(ErrorTypes.DB_ERROR));
  }

  @Test
  void stageThatNeverCompletesIsNotCounted() {
    start();
    recorder.persistReturnedStage(System.nanoTime(), new CompletableFuture<String>());

    assertEquals(0, persistCount(SUCCESS));
    assertEquals(0, persistCount(ERROR));
  }

  @Test
  void returnedValueThatIsNotAStageIsAnImmediateSuccess() {
    start();
    recorder.persistReturnedStage(System.nanoTime(), "not a stage");
    assertEquals(1, persistCount(SUCCESS));
  }

  @Test
  void queueChangesBeforeStartThatCancelOutStillShowTheGaugeAtZero() {
    queueChanged(+1);
    queueChanged(-1);
    start();
    assertTrue(metric(QUEUE_SIZE.name()).isPresent(), "the queue was used: its gauge exists");
    assertEquals(0, queueSize());
  }

  @Test
  void producedHistogramEqualsTheSdksOwnInCountBucketsSumMinAndMax() {
    List<Long> durations = new ArrayList<>();
    for (long bound : new long[] {1, 5, 10, 50, 100, 500, 1000}) {
      durations.add(bound * MILLIS); // exactly on a bucket bound
      durations.add(bound * MILLIS + 1);
      durations.add(bound * MILLIS - 1);
    }
    for (long i = 0; i < 200_000; i++) {
      durations.add((i * 7919) % (1500 * MILLIS)); // spread over every bucket, overflow included
    }
    InMemoryMetricReader sdkReader = InMemoryMetricReader.create();
    try (SdkMeterProvider sdkProvider =
        SdkMeterProvider.builder().registerMetricReader(sdkReader).build()) {
      DoubleHistogram sdkHistogram = sdkProvider
          .get("x")
          .histogramBuilder(PERSIST_SECONDS.name())
          .setUnit(PERSIST_SECONDS.unit())
          .setExplicitBucketBoundariesAdvice(PERSIST_SECONDS.bounds())
          .build();
      SQLTimeoutException timeout = new SQLTimeoutException();
      for (long duration : durations) {
        recorder.persistSucceeded(duration, null);
        recorder.persistFailed(duration, timeout, null);
        for (String outcome : List.of(SUCCESS, ERROR)) {
          sdkHistogram.record(
              duration * 1e-9, Attributes.of(PERSIST_SECONDS.attributeKey(), outcome));
        }
      }
      start();

      List<MetricData> sdkMetrics = new ArrayList<>(sdkReader.collectAllMetrics());
      for (String outcome : List.of(SUCCESS, ERROR)) {
        HistogramPointData produced = persistPoint(outcome).orElseThrow();
        HistogramPointData expected = sdkMetrics.stream()
            .flatMap(m -> m.getHistogramData().getPoints().stream())
            .filter(p ->
                p.getAttributes().equals(Attributes.of(PERSIST_SECONDS.attributeKey(), outcome)))
            .findFirst()
            .orElseThrow();
        assertEquals(durations.size(), produced.getCount());
        assertEquals(expected.getBoundaries(), produced.getBoundaries(), outcome + " bounds");
        assertEquals(expected.getCounts(), produced.getCounts(), outcome + " bucket counts");
        assertEquals(expected.getMin(), produced.getMin(), outcome + " min");
        assertEquals(expected.getMax(), produced.getMax(), outcome + " max");
        assertEquals(expected.getSum(), produced.getSum(), 1e-6, outcome + " sum");
      }
      assertEquals(durations.size(), errorCount(ErrorTypes.TIMEOUT));
    }
  }

  /**
   * Each worker records half its measurements before the SDK exists, signals, and goes straight
   * on with the rest while the main thread starts the SDK. Repeated to exercise the race more
   * than once.
   */
  @RepeatedTest(5)
  void concurrentRecordingWhileStartingLosesAndDuplicatesNothing() throws Exception {
    int threads = 8;
    int perThread = 10_000;
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch halfway = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        SQLTimeoutException timeout = new SQLTimeoutException();
        awaitQuietly(go);
        for (int i = 0; i < perThread; i++) {
          if (i == perThread / 2) {
            halfway.countDown();
          }
          recorder.persistSucceeded(MILLIS, null);
          recorder.persistFailed(MILLIS, timeout, null);
          queueChanged(+1);
        }
      });
      worker.start();
      workers.add(worker);
    }

    go.countDown();
    halfway.await();
    start();
    for (Thread worker : workers) {
      worker.join();
    }

    long total = (long) threads * perThread;
    assertEquals(total, persistCount(SUCCESS));
    assertEquals(total, persistCount(ERROR));
    assertEquals(total, errorCount(ErrorTypes.TIMEOUT));
    assertEquals(total, queueSize());
    assertEquals(total * 0.001, persistPoint(SUCCESS).get().getSum(), 1e-6);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
