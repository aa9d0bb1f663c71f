package dev.usagemetrics.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.ExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongExemplarData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes the agent's metrics in the Prometheus text exposition format 0.0.4, or in OpenMetrics 1.0
 * with exemplars (a histogram bucket's on its line, a counter's on its sample). The names,
 * descriptions and kinds come from {@link dev.usagemetrics.agent.metrics.MetricDefinitions} through
 * the metric data; they are already Prometheus-style ({@code llm_usage_persist_seconds}), so they are
 * written as they are. Only the shapes the agent produces are handled: explicit-bucket histograms
 * and long sums.
 */
final class PrometheusText {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";
  /** Ends an OpenMetrics exposition. */
  static final String OPENMETRICS_END = "# EOF\n";

  /** Null: the classic format. */
  private final ShownExemplars exemplars;

  private final StringBuilder out = new StringBuilder();

  private PrometheusText(ShownExemplars exemplars) {
    this.exemplars = exemplars;
  }

  /** The classic text format. */
  static PrometheusText classic() {
    return new PrometheusText(null);
  }

  /** OpenMetrics, showing {@code exemplars}. */
  static PrometheusText openMetrics(ShownExemplars exemplars) {
    return new PrometheusText(exemplars);
  }

  /** What was appended, ended as the format requires. */
  String text() {
    return exemplars == null ? out.toString() : out + OPENMETRICS_END;
  }

  void append(MetricData metric) {
    String name = metric.getName();
    switch (metric.getType()) {
      case HISTOGRAM:
        header(name, metric.getDescription(), "histogram");
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          appendHistogram(name, point);
        }
        break;
      case LONG_SUM:
        boolean counter = metric.getLongSumData().isMonotonic();
        // OpenMetrics names a counter's family without the _total its sample has.
        header(
            exemplars != null && counter ? name.replaceFirst("_total$", "") : name,
            metric.getDescription(),
            counter ? "counter" : "gauge");
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          List<LongExemplarData> fresh = point.getExemplars();
          sample(
              name,
              labels(point.getAttributes(), null),
              Long.toString(point.getValue()),
              exemplar(
                  name,
                  point.getAttributes(),
                  0,
                  fresh.isEmpty() ? null : fresh.get(fresh.size() - 1)));
        }
        break;
      default:
        break;
    }
  }

  private void appendHistogram(String name, HistogramPointData point) {
    List<Double> bounds = point.getBoundaries();
    List<Long> counts = point.getCounts();
    ExemplarData[] fresh = new ExemplarData[bounds.size() + 1];
    for (DoubleExemplarData exemplar : point.getExemplars()) {
      int bucket = 0;
      while (bucket < bounds.size() && exemplar.getValue() > bounds.get(bucket)) {
        bucket++;
      }
      fresh[bucket] = exemplar;
    }
    long cumulative = 0;
    for (int i = 0; i <= bounds.size(); i++) {
      cumulative += counts.get(i);
      String le = i < bounds.size() ? number(bounds.get(i)) : "+Inf";
      sample(
          name + "_bucket",
          labels(point.getAttributes(), le),
          Long.toString(cumulative),
          exemplar(name, point.getAttributes(), i, fresh[i]));
    }
    sample(name + "_sum", labels(point.getAttributes(), null), number(point.getSum()), null);
    sample(
        name + "_count",
        labels(point.getAttributes(), null),
        Long.toString(point.getCount()),
        null);
  }

  /** The exemplar to show on a line, or null (always in the classic format). */
  private ExemplarData exemplar(String name, Attributes attributes, int slot, ExemplarData fresh) {
    return exemplars == null ? null : exemplars.forSlot(name, attributes, slot, fresh);
  }

  private void header(String name, String help, String type) {
    out.append("# HELP ")
        .append(name)
        .append(' ')
        .append(help.replace("\\", "\\\\").replace("\n", "\\n"))
        .append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, String labels, String value, ExemplarData exemplar) {
    out.append(name).append(labels).append(' ').append(value);
    if (exemplar != null) {
      double exemplarValue = exemplar instanceof DoubleExemplarData
          ? ((DoubleExemplarData) exemplar).getValue()
          : ((LongExemplarData) exemplar).getValue();
      out.append(" # {trace_id=\"")
          .append(exemplar.getSpanContext().getTraceId())
          .append("\",span_id=\"")
          .append(exemplar.getSpanContext().getSpanId())
          .append("\"} ")
          .append(Double.toString(exemplarValue))
          .append(' ')
          .append(BigDecimal.valueOf(exemplar.getEpochNanos()).movePointLeft(9).toPlainString());
    }
    out.append('\n');
  }

  private static String labels(Attributes attributes, String le) {
    StringBuilder labels = new StringBuilder();
    attributes.forEach((key, value) -> label(labels, key.getKey(), String.valueOf(value)));
    if (le != null) {
      label(labels, "le", le);
    }
    return labels.length() == 0 ? "" : "{" + labels + "}";
  }

  private static void label(StringBuilder labels, String key, String value) {
    if (labels.length() > 0) {
      labels.append(',');
    }
    labels
        .append(key.replace('.', '_'))
        .append("=\"")
        .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
        .append('"');
  }

  private static String number(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value)
        ? Long.toString((long) value) + ".0"
        : Double.toString(value);
  }
}
