package dev.usagemetrics.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/** OTLP/HTTP with binary protobuf bodies on the JDK's HTTP server: {@code POST /v1/metrics}. */
final class HttpMetricsTransport implements MetricsTransport {

  static final String METRICS_PATH = "/v1/metrics";
  private static final String PROTOBUF = "application/x-protobuf";

  private final ExportHandler handler;
  private HttpServer server;
  private ExecutorService executor;

  HttpMetricsTransport(ExportHandler handler) {
    this.handler = handler;
  }

  @Override
  public int start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    // Handlers of stalled requests return at once, so a small pool never runs dry.
    executor = Executors.newCachedThreadPool(task -> {
      Thread thread = new Thread(task, "otlp-http-receiver");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext(METRICS_PATH, this::handle);
    server.start();
    return server.getAddress().getPort();
  }

  @Override
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      if (!METRICS_PATH.equals(exchange.getRequestURI().getPath())) {
        answerText(exchange, 404, "no such path");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "POST");
        answerText(exchange, 405, "POST only");
        return;
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
        answerText(exchange, 415, "only " + PROTOBUF + " is supported");
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
      if (encoding != null && !gzip && !encoding.equalsIgnoreCase("identity")) {
        answerText(exchange, 415, "unsupported Content-Encoding " + encoding);
        return;
      }
      ExportMetricsServiceRequest request;
      try (InputStream body =
          gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        request = ExportMetricsServiceRequest.parseFrom(body);
      } catch (IOException e) {
        answerText(exchange, 400, "not an ExportMetricsServiceRequest: " + e.getMessage());
        return;
      }
      answer(exchange, handler.onExport(request, exchange.getRequestHeaders()));
    } catch (RuntimeException e) {
      // The JDK server would only drop the connection; a status with the cause is easier to debug.
      answerText(exchange, 500, e.toString());
    }
  }

  private static void answer(HttpExchange exchange, Reply reply) throws IOException {
    switch (reply.disposition()) {
      case ACCEPTED -> {
        byte[] body = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
        send(exchange, 200, body);
      }
      case REFUSED -> {
        if (reply.retryAfter() != null) {
          exchange
              .getResponseHeaders()
              .set("Retry-After", Long.toString(reply.retryAfter().toSeconds()));
        }
        answerText(exchange, reply.code(), "refused by the test receiver");
      }
      case STALLED -> {
        // Never answer: the exchange stays open until the client gives up or the server stops.
      }
    }
  }

  private static void answerText(HttpExchange exchange, int status, String message)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, message.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    // -1 announces an empty body; 0 would mean chunked
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
