package dev.usagemetrics.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;

/**
 * Writes the agent's metrics in the Prometheus text exposition format 0.0.4. Names are already
 * Prometheus-style ({@code llm_usage_persist_seconds}), so they are written as they are; only the
 * three shapes the agent produces are handled: explicit-bucket histograms and long sums.
 */
final class PrometheusText {

  private PrometheusText() {}

  static void append(MetricData metric, StringBuilder out) {
    String name = metric.getName();
    switch (metric.getType()) {
      case HISTOGRAM:
        header(out, name, metric.getDescription(), "histogram");
        for (HistogramPointData point : metric.getHistogramData().getPoints()) {
          appendHistogram(out, name, point);
        }
        break;
      case LONG_SUM:
        header(out, name, metric.getDescription(), metric.getLongSumData().isMonotonic() ? "counter" : "gauge");
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          sample(out, name, labels(point.getAttributes(), null), Long.toString(point.getValue()));
        }
        break;
      default:
        break;
    }
  }

  private static void appendHistogram(StringBuilder out, String name, HistogramPointData point) {
    List<Double> bounds = point.getBoundaries();
    List<Long> counts = point.getCounts();
    long cumulative = 0;
    for (int i = 0; i < bounds.size(); i++) {
      cumulative += counts.get(i);
      sample(out, name + "_bucket", labels(point.getAttributes(), number(bounds.get(i))), Long.toString(cumulative));
    }
    sample(out, name + "_bucket", labels(point.getAttributes(), "+Inf"), Long.toString(point.getCount()));
    sample(out, name + "_sum", labels(point.getAttributes(), null), number(point.getSum()));
    sample(out, name + "_count", labels(point.getAttributes(), null), Long.toString(point.getCount()));
  }

  private static void header(StringBuilder out, String name, String help, String type) {
    out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, String value) {
    out.append(name).append(labels).append(' ').append(value).append('\n');
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
    labels.append(key.replace('.', '_')).append("=\"")
        .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
  }

  private static String number(double value) {
    return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) + ".0" : Double.toString(value);
  }
}
