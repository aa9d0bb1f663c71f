package dev.usagemetrics.agent.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.usagemetrics.agent.identity.AgentThreads;
import dev.usagemetrics.agent.metrics.MetricDefinitions;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * An optional Prometheus scrape endpoint ({@code GET /metrics}: text format 0.0.4, or OpenMetrics
 * with exemplars when the scraper accepts {@code application/openmetrics-text}), so a single
 * JVM can be scraped without a collector. A pull-based {@link MetricReader}: every scrape collects
 * the agent's own instruments, cumulatively. Off unless configured; binds to loopback by default.
 */
final class PrometheusEndpoint implements MetricReader {

  private final HttpServer server;
  private volatile CollectionRegistration registration = CollectionRegistration.noop();
  private final ShownExemplars shownExemplars = new ShownExemplars();

  private PrometheusEndpoint(HttpServer server) {
    this.server = server;
  }

  static PrometheusEndpoint start(String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    PrometheusEndpoint endpoint = new PrometheusEndpoint(server);
    server.createContext("/metrics", endpoint::serve);
    server.setExecutor(Executors.newSingleThreadExecutor(AgentThreads.factory("prometheus")));
    server.start();
    return endpoint;
  }

  /** The address actually bound (the port is chosen by the OS when configured as 0). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      boolean openMetrics = accept != null && accept.contains("application/openmetrics-text");
      PrometheusText text =
          openMetrics ? PrometheusText.openMetrics(shownExemplars) : PrometheusText.classic();
      for (MetricData metric : registration.collectAllMetrics()) {
        if (MetricDefinitions.METER_NAME.equals(
            metric.getInstrumentationScopeInfo().getName())) {
          text.append(metric);
        }
      }
      byte[] body = text.text().getBytes(StandardCharsets.UTF_8);
      exchange
          .getResponseHeaders()
          .set(
              "Content-Type",
              openMetrics ? PrometheusText.OPENMETRICS_CONTENT_TYPE : PrometheusText.CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  @Override
  public void register(CollectionRegistration newRegistration) {
    registration = newRegistration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    server.stop(0);
    return CompletableResultCode.ofSuccess();
  }
}
