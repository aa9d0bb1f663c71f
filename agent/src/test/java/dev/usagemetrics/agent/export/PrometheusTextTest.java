package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableHistogramPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final Attributes TIMEOUT =
      Attributes.of(AttributeKey.stringKey("error_type"), "timeout");
  private static final SpanContext SPAN = SpanContext.create(
      "0af7651916cd43dd8448eb211c80319c",
      "b7ad6b7169203331",
      TraceFlags.getSampled(),
      TraceState.getDefault());
  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("test");

  private static MetricData histogram(List<DoubleExemplarData> exemplars) {
    return ImmutableMetricData.createDoubleHistogram(
        Resource.empty(),
        SCOPE,
        "llm_usage_persist_seconds",
        "Latency",
        "s",
        ImmutableHistogramData.create(
            AggregationTemporality.CUMULATIVE,
            List.of(ImmutableHistogramPointData.create(
                0,
                1,
                Attributes.empty(),
                0.31,
                false,
                0,
                false,
                0,
                List.of(0.1, 0.5),
                List.of(1L, 1L, 0L),
                exemplars))));
  }

  private static MetricData errors(List<LongExemplarData> exemplars) {
    return ImmutableMetricData.createLongSum(
        Resource.empty(),
        SCOPE,
        "llm_usage_persist_errors_total",
        "Failures",
        "",
        ImmutableSumData.create(
            true,
            AggregationTemporality.CUMULATIVE,
            List.of(ImmutableLongPointData.create(0, 1, TIMEOUT, 2, exemplars))));
  }

  @Test
  void openMetricsShowsEachBucketsExemplarOnItsLineAndTheCountersOnItsSample() {
    ShownExemplars shown = new ShownExemplars();
    PrometheusText text = PrometheusText.openMetrics(shown);
    text.append(histogram(List.of(
        DoubleExemplarData.create(Attributes.empty(), 1_733_300_000_123_000_000L, SPAN, 0.3))));
    text.append(errors(
        List.of(LongExemplarData.create(Attributes.empty(), 1_733_300_001_000_000_000L, SPAN, 1))));
    String exemplar =
        " # {trace_id=\"0af7651916cd43dd8448eb211c80319c\",span_id=\"b7ad6b7169203331\"} ";
    String expected = String.join(
        "\n",
        "# HELP llm_usage_persist_seconds Latency",
        "# TYPE llm_usage_persist_seconds histogram",
        "llm_usage_persist_seconds_bucket{le=\"0.1\"} 1",
        "llm_usage_persist_seconds_bucket{le=\"0.5\"} 2" + exemplar + "0.3 1733300000.123000000",
        "llm_usage_persist_seconds_bucket{le=\"+Inf\"} 2",
        "llm_usage_persist_seconds_sum 0.31",
        "llm_usage_persist_seconds_count 2",
        "# HELP llm_usage_persist_errors Failures",
        "# TYPE llm_usage_persist_errors counter",
        "llm_usage_persist_errors_total{error_type=\"timeout\"} 2" + exemplar
            + "1.0 1733300001.000000000",
        "# EOF",
        "");
    assertEquals(expected, text.text());

    // The next scrape, with nothing new in the interval, shows the same exemplars.
    PrometheusText next = PrometheusText.openMetrics(shown);
    next.append(histogram(List.of()));
    next.append(errors(List.of()));
    assertEquals(expected, next.text());
  }

  @Test
  void theClassicFormatHasNoExemplars() {
    PrometheusText text = PrometheusText.classic();
    text.append(errors(List.of(LongExemplarData.create(Attributes.empty(), 1, SPAN, 1))));
    assertEquals(
        String.join(
            "\n",
            "# HELP llm_usage_persist_errors_total Failures",
            "# TYPE llm_usage_persist_errors_total counter",
            "llm_usage_persist_errors_total{error_type=\"timeout\"} 2",
            ""),
        text.text());
  }
}
