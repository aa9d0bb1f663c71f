package dev.usagemetrics.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts OTLP/HTTP exports and discards them, so that our agent's exit-time export finishes as it
 * would against a live collector (instead of retrying against a closed port). It counts the
 * exports naming each of our metrics: the proof that the agent measured something in a child JVM.
 */
final class OtlpHttpSink implements AutoCloseable {

  static final String PERSIST_SECONDS = "llm_usage_persist_seconds";
  static final String PERSIST_ERRORS = "llm_usage_persist_errors_total";
  static final String QUEUE_SIZE = "llm_usage_persist_queue_size";
  private static final List<String> METRICS = List.of(PERSIST_SECONDS, PERSIST_ERRORS, QUEUE_SIZE);

  private final HttpServer server;
  private final AtomicInteger exports = new AtomicInteger();
  private final Map<String, AtomicInteger> exportsByMetric = new ConcurrentHashMap<>();

  private OtlpHttpSink(HttpServer server) {
    this.server = server;
    METRICS.forEach(metric -> exportsByMetric.put(metric, new AtomicInteger()));
  }

  static OtlpHttpSink start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    OtlpHttpSink sink = new OtlpHttpSink(server);
    server.createContext("/", sink::accept);
    server.start();
    return sink;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int exports() {
    return exports.get();
  }

  /** How many exports (uncompressed protobuf, where names appear verbatim) named {@code metric}. */
  int exportsNaming(String metric) {
    return exportsByMetric.get(metric).get();
  }

  private void accept(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      String payload = new String(body.readAllBytes(), StandardCharsets.ISO_8859_1);
      exports.incrementAndGet();
      exportsByMetric.forEach((metric, count) -> {
        if (payload.contains(metric)) {
          count.incrementAndGet();
        }
      });
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
