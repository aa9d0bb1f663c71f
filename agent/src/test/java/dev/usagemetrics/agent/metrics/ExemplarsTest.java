package dev.usagemetrics.agent.metrics;

import static dev.usagemetrics.agent.tracing.TracingFixtures.spanCurrent;
import static dev.usagemetrics.agent.tracing.TracingFixtures.spanId;
import static dev.usagemetrics.agent.tracing.TracingFixtures.traceId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.classification.DefaultErrorRules;
import dev.usagemetrics.agent.classification.ErrorClassifier;
import dev.usagemetrics.agent.matching.ConfiguredTypeFilter;
import dev.usagemetrics.agent.tracing.TracingFixtures;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExemplarsTest {

  private static final long MILLIS = 1_000_000L;

  private final UsageMetricsRecorder recorder = new UsageMetricsRecorder(
      new ErrorClassifier(DefaultErrorRules.rules(), DefaultErrorRules.DEFAULT_ERROR_TYPE),
      new ConfiguredTypeFilter(List.of()),
      TracingFixtures.apiInUse());

  private void succeedInSpan(int span, long nanos) {
    try (Scope ignored = spanCurrent(traceId(span), spanId(span), true)) {
      recorder.persistSucceeded(nanos, ExemplarsTest.class);
    }
  }

  private void failInSpan(int span, long nanos, Throwable error) {
    try (Scope ignored = spanCurrent(traceId(span), spanId(span), true)) {
      recorder.persistFailed(nanos, error, ExemplarsTest.class);
    }
  }

  /** Per point (metric name and attributes): its exemplars as "value@traceId/spanId". */
  private Map<String, List<String>> collect() {
    Collection<MetricData> metrics = recorder.metricProducer().produce(Resource.empty());
    Map<String, List<String>> exemplars = new TreeMap<>();
    for (MetricData metric : metrics) {
      for (PointData point : metric.getData().getPoints()) {
        List<String> texts = new ArrayList<>();
        for (ExemplarData exemplar : point.getExemplars()) {
          assertTrue(exemplar.getSpanContext().isSampled());
          assertEquals(Attributes.empty(), exemplar.getFilteredAttributes());
          texts.add(value(exemplar) + "@" + exemplar.getSpanContext().getTraceId() + "/"
              + exemplar.getSpanContext().getSpanId());
        }
        if (!texts.isEmpty()) {
          exemplars.put(metric.getName() + point.getAttributes(), texts);
        }
      }
    }
    return exemplars;
  }

  private static String value(ExemplarData exemplar) {
    if (exemplar instanceof DoubleExemplarData) {
      // Milliseconds, as the calls were made: the seconds of a duration in nanoseconds are not
      // exact.
      return Math.round(((DoubleExemplarData) exemplar).getValue() * 1e6) / 1e3 + "ms";
    }
    return Long.toString(((LongExemplarData) exemplar).getValue());
  }

  private static String kept(String value, int span) {
    return value + "@" + traceId(span) + "/" + spanId(span);
  }

  @Test
  void keepsTheSlowestSuccessPerBucketAndTheLatestFailurePerBucketAndErrorType() {
    succeedInSpan(1, 2 * MILLIS); // bucket (0.001, 0.005]
    succeedInSpan(2, 4 * MILLIS); // same bucket, slower: kept
    succeedInSpan(3, 3 * MILLIS); // same bucket, faster: not kept
    succeedInSpan(4, 300 * MILLIS); // bucket (0.1, 0.5]
    recorder.persistSucceeded(400 * MILLIS, ExemplarsTest.class); // slower, but in no span
    failInSpan(5, 200 * MILLIS, new SQLTimeoutException("first"));
    failInSpan(
        6,
        150 * MILLIS,
        new SQLTimeoutException("latest, faster")); // same bucket: the latest is kept

    Map<String, List<String>> exemplars = collect();

    assertEquals(
        List.of(kept("4.0ms", 2), kept("300.0ms", 4)),
        exemplars.get("llm_usage_persist_seconds{outcome=\"success\"}"));
    assertEquals(
        List.of(kept("150.0ms", 6)), exemplars.get("llm_usage_persist_seconds{outcome=\"error\"}"));
    assertEquals(
        List.of(kept("1", 6)),
        exemplars.get("llm_usage_persist_errors_total{error_type=\"timeout\"}"));
    assertEquals(3, exemplars.size(), exemplars.toString());
  }

  @Test
  void eachCollectionReportsOnlyItsOwnInterval() {
    succeedInSpan(1, 2 * MILLIS);
    assertEquals(1, collect().size());
    assertEquals(Map.of(), collect());
    succeedInSpan(2, MILLIS / 2); // a faster call than last interval's, in the next interval: kept
    assertEquals(
        Map.of("llm_usage_persist_seconds{outcome=\"success\"}", List.of(kept("0.5ms", 2))),
        collect());
  }

  @Test
  void noSpanNoExemplar() {
    recorder.persistSucceeded(2 * MILLIS, ExemplarsTest.class);
    recorder.persistFailed(2 * MILLIS, new SQLTimeoutException(), ExemplarsTest.class);
    try (Scope ignored = spanCurrent(traceId(9), spanId(9), false)) {
      recorder.persistSucceeded(3 * MILLIS, ExemplarsTest.class);
    }
    assertEquals(Map.of(), collect());
  }

  @Test
  void threadsKeepTheirOwnAndTheSlowestOfAllIsReported() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    for (int thread = 1; thread <= 3; thread++) {
      int span = thread;
      pool.submit(() -> succeedInSpan(span, (1 + span) * MILLIS)).get();
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals(
        List.of(kept("4.0ms", 3)), collect().get("llm_usage_persist_seconds{outcome=\"success\"}"));
  }

  @Test
  void withoutSpanLookupsNoExemplars() {
    UsageMetricsRecorder plain = new UsageMetricsRecorder(
        new ErrorClassifier(DefaultErrorRules.rules(), DefaultErrorRules.DEFAULT_ERROR_TYPE),
        new ConfiguredTypeFilter(List.of()));
    try (Scope ignored = spanCurrent(traceId(1), spanId(1), true)) {
      plain.persistSucceeded(2 * MILLIS, ExemplarsTest.class);
    }
    for (MetricData metric : plain.metricProducer().produce(Resource.empty())) {
      metric.getData().getPoints().forEach(point -> assertEquals(List.of(), point.getExemplars()));
    }
  }
}
