package dev.usagemetrics.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts OTLP/HTTP exports and discards them, so that our agent's exit-time export finishes as it
 * would against a live collector (instead of retrying against a closed port).
 */
final class OtlpHttpSink implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger exports = new AtomicInteger();

  private OtlpHttpSink(HttpServer server) {
    this.server = server;
  }

  static OtlpHttpSink start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    OtlpHttpSink sink = new OtlpHttpSink(server);
    server.createContext("/", sink::accept);
    server.start();
    return sink;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** How many exports arrived: proof that our agent ran and exported in the child JVMs. */
  int exports() {
    return exports.get();
  }

  private void accept(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
      exports.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
