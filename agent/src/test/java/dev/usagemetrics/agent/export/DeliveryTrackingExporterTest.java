package dev.usagemetrics.agent.export;

import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_ERRORS;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.PERSIST_SECONDS;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.QUEUE_SIZE;
import static dev.usagemetrics.agent.metrics.MetricDefinitions.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.classification.DefaultErrorRules;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.classification.ErrorTypes;
import dev.usagemetrics.agent.matching.ConfiguredTypeFilter;
import dev.usagemetrics.agent.metrics.UsageMetricsRecorder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The deltas a collector receives add up to the calls made, whatever it refused or left
 * unanswered; checked on what the agent's own producer hands the SDK.
 */
class DeliveryTrackingExporterTest {

  private static final long MILLIS = 1_000_000L;
  private static final Resource RESOURCE = Resource.empty();
  /** How long an export waits for the answer to the one before: short, where a test leaves it unanswered. */
  private static final Duration ANSWER_WAIT = Duration.ofMillis(50);

  private final UsageMetricsRecorder recorder = newRecorder();

  /** A recorder with the shipped error rules and a queue configured, so all three metrics are produced. */
  private static UsageMetricsRecorder newRecorder() {
    return new UsageMetricsRecorder(
        new ErrorClassifier(DefaultErrorRules.rules(), DefaultErrorRules.DEFAULT_ERROR_TYPE),
        new ConfiguredTypeFilter(List.of("com.acme.Queue")));
  }

  /** Stands in for the OTLP exporter: keeps what it was given, answers as told. */
  private static final class Collector implements MetricExporter {
    final AggregationTemporalitySelector temporality;
    final List<List<MetricData>> received = new ArrayList<>();
    final List<CompletableResultCode> answers = new ArrayList<>();
    boolean refuse;
    boolean answerLater;

    Collector(AggregationTemporalitySelector temporality) {
      this.temporality = temporality;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      received.add(List.copyOf(metrics));
      CompletableResultCode answer = answerLater
          ? new CompletableResultCode()
          : refuse ? CompletableResultCode.ofFailure() : CompletableResultCode.ofSuccess();
      answers.add(answer);
      return answer;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return temporality.getAggregationTemporality(instrumentType);
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    /** The points accepted ones carried: what the collector counts. */
    List<MetricData> delivered() {
      List<MetricData> delivered = new ArrayList<>();
      for (int i = 0; i < received.size(); i++) {
        if (answers.get(i).isDone() && answers.get(i).isSuccess()) {
          delivered.addAll(received.get(i));
        }
      }
      return delivered;
    }
  }

  private void calls(int successes, int timeouts) {
    for (int i = 0; i < successes; i++) {
      recorder.persistSucceeded(2 * MILLIS, null);
    }
    for (int i = 0; i < timeouts; i++) {
      recorder.persistFailed(200 * MILLIS, new SQLTimeoutException("slow"), null);
    }
  }

  private CompletableResultCode exportTo(DeliveryTrackingExporter exporter) {
    return exporter.export(recorder.metricProducer().produce(RESOURCE));
  }

  private static List<HistogramPointData> persistPoints(List<MetricData> metrics, String outcome) {
    List<HistogramPointData> points = new ArrayList<>();
    for (MetricData metric : metrics) {
      if (metric.getName().equals(PERSIST_SECONDS.name())) {
        metric.getHistogramData().getPoints().stream()
            .filter(
                point -> outcome.equals(point.getAttributes().get(PERSIST_SECONDS.attributeKey())))
            .forEach(points::add);
      }
    }
    return points;
  }

  private static long deltaCount(List<MetricData> metrics, String outcome) {
    return persistPoints(metrics, outcome).stream()
        .mapToLong(HistogramPointData::getCount)
        .sum();
  }

  private static long errorDeltas(List<MetricData> metrics, String errorType) {
    long sum = 0;
    for (MetricData metric : metrics) {
      if (metric.getName().equals(PERSIST_ERRORS.name())) {
        assertEquals(
            AggregationTemporality.DELTA, metric.getLongSumData().getAggregationTemporality());
        sum += metric.getLongSumData().getPoints().stream()
            .filter(
                point -> errorType.equals(point.getAttributes().get(PERSIST_ERRORS.attributeKey())))
            .mapToLong(LongPointData::getValue)
            .sum();
      }
    }
    return sum;
  }

  @Test
  void refusedDeltasAreCarriedIntoTheNextExportAndDeliveredOnce() {
    Collector collector = new Collector(AggregationTemporalitySelector.deltaPreferred());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);

    calls(10, 2);
    assertTrue(exportTo(exporter).isSuccess());
    assertEquals(10, deltaCount(collector.received.get(0), "success"));

    calls(5, 1);
    collector.refuse = true;
    assertFalse(exportTo(exporter).isSuccess());
    assertEquals(
        5, deltaCount(collector.received.get(1), "success"), "a delta since the last delivery");
    calls(3, 0);
    assertFalse(exportTo(exporter).isSuccess());
    assertEquals(
        8, deltaCount(collector.received.get(2), "success"), "the refused delta is carried");

    collector.refuse = false;
    calls(4, 4);
    assertTrue(exportTo(exporter).isSuccess());
    assertEquals(12, deltaCount(collector.received.get(3), "success"));
    assertEquals(5, deltaCount(collector.received.get(3), "error"));

    assertEquals(22, deltaCount(collector.delivered(), "success"), "every call delivered once");
    assertEquals(7, deltaCount(collector.delivered(), "error"));
    assertEquals(7, errorDeltas(collector.delivered(), ErrorTypes.TIMEOUT));
  }

  @Test
  void deliveredDeltasOfASeriesFollowEachOtherWithoutGapOrOverlap() {
    Collector collector = new Collector(AggregationTemporalitySelector.deltaPreferred());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);
    for (int round = 0; round < 4; round++) {
      calls(3, 0);
      collector.refuse = round == 1;
      exportTo(exporter);
    }
    List<HistogramPointData> delivered = persistPoints(collector.delivered(), "success");
    assertEquals(3, delivered.size());
    for (int i = 1; i < delivered.size(); i++) {
      assertEquals(
          delivered.get(i - 1).getEpochNanos(),
          delivered.get(i).getStartEpochNanos(),
          "starts where the previous one ended");
      assertTrue(delivered.get(i).getStartEpochNanos() < delivered.get(i).getEpochNanos());
    }
    assertEquals(
        List.of(3L, 6L, 3L),
        delivered.stream().map(HistogramPointData::getCount).collect(Collectors.toList()));
  }

  @Test
  void aSeriesStillUnansweredAfterTheWaitIsLeftOutOfTheNextExportUntilItsAnswerIsKnown() {
    Collector collector = new Collector(AggregationTemporalitySelector.deltaPreferred());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);
    calls(10, 0);
    collector.answerLater = true;
    exportTo(exporter);
    calls(5, 1);
    collector.answerLater = false;
    exportTo(exporter);
    assertEquals(
        0,
        deltaCount(collector.received.get(1), "success"),
        "not sent twice while the first is unanswered");
    assertEquals(
        1, deltaCount(collector.received.get(1), "error"), "a series not under way is sent");

    collector.answers.get(0).fail();
    exportTo(exporter);
    assertEquals(
        15,
        deltaCount(collector.received.get(2), "success"),
        "the unanswered one failed: all of it is due");
    assertEquals(15, deltaCount(collector.delivered(), "success"));
    assertEquals(1, deltaCount(collector.delivered(), "error"));
  }

  @Test
  void anExportWaitsForTheAnswerToTheOneBeforeAndCarriesWhatItDidNotDeliver() throws Exception {
    Collector collector = new Collector(AggregationTemporalitySelector.deltaPreferred());
    DeliveryTrackingExporter exporter =
        new DeliveryTrackingExporter(collector, false, Duration.ofSeconds(30));
    calls(10, 0);
    collector.answerLater = true;
    exportTo(exporter);
    calls(5, 0);
    collector.answerLater = false;
    Thread refusal = new Thread(() -> {
      sleep(200);
      collector.answers.get(0).fail();
    });
    refusal.start();
    long start = System.nanoTime();
    exportTo(exporter);
    refusal.join();
    assertTrue(
        System.nanoTime() - start >= Duration.ofMillis(200).toNanos(), "waited for the answer");
    assertEquals(
        15, deltaCount(collector.received.get(1), "success"), "the refused one is carried at once");
    assertEquals(15, deltaCount(collector.delivered(), "success"));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aLateSuccessCountsAsDelivered() {
    Collector collector = new Collector(AggregationTemporalitySelector.deltaPreferred());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);
    calls(10, 0);
    collector.answerLater = true;
    exportTo(exporter);
    collector.answers.get(0).succeed();
    calls(2, 0);
    collector.answerLater = false;
    exportTo(exporter);
    assertEquals(2, deltaCount(collector.received.get(1), "success"));
    assertEquals(12, deltaCount(collector.delivered(), "success"));
  }

  @Test
  void nothingNewSendsNothing() {
    Collector collector = new Collector(AggregationTemporalitySelector.deltaPreferred());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);
    calls(1, 0);
    exportTo(exporter);
    int before = collector.received.size();
    assertTrue(exportTo(exporter).isSuccess());
    List<MetricData> second =
        collector.received.size() > before ? collector.received.get(before) : List.of();
    assertEquals(0, deltaCount(second, "success"), "an empty delta is not sent");
  }

  @Test
  void lowMemoryKeepsTheQueueSizeCumulativeAndMakesTheRestDelta() {
    Collector collector = new Collector(AggregationTemporalitySelector.lowMemory());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);
    calls(2, 1);
    exportTo(exporter);
    exportTo(exporter);
    for (List<MetricData> batch : collector.received) {
      for (MetricData metric : batch) {
        if (metric.getName().equals(QUEUE_SIZE.name())) {
          assertEquals(
              AggregationTemporality.CUMULATIVE,
              metric.getLongSumData().getAggregationTemporality());
        } else if (metric.getName().equals(PERSIST_ERRORS.name())) {
          assertEquals(
              AggregationTemporality.DELTA, metric.getLongSumData().getAggregationTemporality());
        } else {
          assertEquals(
              AggregationTemporality.DELTA, metric.getHistogramData().getAggregationTemporality());
        }
      }
    }
    assertTrue(
        collector.received.get(1).stream().anyMatch(m -> m.getName().equals(QUEUE_SIZE.name())),
        "the gauge is sent every time");
  }

  @Test
  void cumulativePreferencePassesTheTotalsAsProduced() {
    Collector collector = new Collector(AggregationTemporalitySelector.alwaysCumulative());
    DeliveryTrackingExporter exporter = new DeliveryTrackingExporter(collector, false, ANSWER_WAIT);
    calls(2, 1);
    Collection<MetricData> produced = recorder.metricProducer().produce(RESOURCE);
    exporter.export(produced);
    assertEquals(List.copyOf(produced), collector.received.get(0));
  }

  @Test
  void deltaMinimumAndMaximumAreSentWhereTheTotalsTellThem() {
    // Totals at three collections: 2 calls (0.12 s and 0.18 s), then one of 0.5 s, then one of 0.15
    // s.
    HistogramPointData first = successTotals(10, 2, 0.3, 0.18);
    HistogramPointData higher = successTotals(20, 3, 0.8, 0.5);
    HistogramPointData between = successTotals(30, 4, 0.95, 0.5);

    assertSame(
        first,
        DeliveredTotals.histogramDelta(first, null),
        "nothing delivered yet: the totals are the delta");
    HistogramPointData grew = DeliveredTotals.histogramDelta(higher, first);
    assertEquals(10, grew.getStartEpochNanos());
    assertEquals(20, grew.getEpochNanos());
    assertEquals(1, grew.getCount());
    assertEquals(0.5, grew.getSum(), 1e-12);
    assertTrue(grew.hasMax());
    assertEquals(0.5, grew.getMax());
    assertFalse(grew.hasMin(), "the minimum did not fall: the interval's own is unknown");
    HistogramPointData inside = DeliveredTotals.histogramDelta(between, higher);
    assertFalse(inside.hasMax());
    assertFalse(inside.hasMin());
    assertEquals(
        null, DeliveredTotals.histogramDelta(higher, higher), "no call in between: no delta");
  }

  @Test
  void theSdksOwnMetricsPassOnlyWhenAskedForAndUnderTheirOwnScopeNames() {
    MetricData sdkMetric =
        sdkMetric("dev.usagemetrics.agent.shaded.io.opentelemetry.exporters.otlp-grpc");
    Collector quiet = new Collector(AggregationTemporalitySelector.alwaysCumulative());
    new DeliveryTrackingExporter(quiet, false, ANSWER_WAIT).export(List.of(sdkMetric));
    assertEquals(List.of(), quiet.received, "off by default: nothing to send");

    Collector told = new Collector(AggregationTemporalitySelector.alwaysCumulative());
    new DeliveryTrackingExporter(told, true, ANSWER_WAIT).export(List.of(sdkMetric));
    MetricData passed = told.received.get(0).get(0);
    assertEquals(
        "io.opentelemetry.exporters.otlp-grpc",
        passed.getInstrumentationScopeInfo().getName());
    assertEquals("1.68.0", passed.getInstrumentationScopeInfo().getVersion());
    assertSame(sdkMetric.getData(), passed.getData());
    assertEquals(sdkMetric.getName(), passed.getName());
  }

  /** Cumulative success totals at {@code epochNanos}: {@code count} calls in (0.1, 0.5] s, the shortest 0.12 s. */
  private static HistogramPointData successTotals(
      long epochNanos, long count, double sum, double max) {
    return HistogramPointData.create(
        0,
        epochNanos,
        Attributes.of(PERSIST_SECONDS.attributeKey(), SUCCESS),
        sum,
        true,
        0.12,
        true,
        max,
        PERSIST_SECONDS.bounds(),
        List.of(0L, 0L, 0L, 0L, 0L, count, 0L, 0L));
  }

  /**
   * A counter as the SDK records about itself, under a scope name as relocation leaves it (built
   * from the queue gauge, the one metric a fresh recorder produces).
   */
  private static MetricData sdkMetric(String scopeName) {
    MetricData template =
        newRecorder().metricProducer().produce(RESOURCE).iterator().next();
    SumData<LongPointData> data = SumData.createLongSumData(
        true,
        AggregationTemporality.CUMULATIVE,
        List.of(LongPointData.create(0, 1, Attributes.empty(), 3)));
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder(scopeName).setVersion("1.68.0").build();
    return ReplacedMetric.withData(ReplacedMetric.withScope(template, scope), data);
  }
}
