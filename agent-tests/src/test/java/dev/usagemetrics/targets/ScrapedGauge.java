package dev.usagemetrics.targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * The agent's queue gauge as the application can read it at any moment: from the agent's
 * Prometheus endpoint, which collects on every request. Lets a target compare the gauge with
 * {@code size()} after each single operation.
 */
final class ScrapedGauge {

  private static final String QUEUE_SIZE = "llm_usage_persist_queue_size";

  private final URL endpoint;

  ScrapedGauge(int port) {
    try {
      endpoint = new URL("http://127.0.0.1:" + port + "/metrics");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until the gauge reads {@code expected}: the agent starts its metrics SDK, and with it
   * this endpoint and the live instruments, in the background, replaying what it measured
   * before. From then on every read is current.
   */
  void awaitValue(long expected) throws InterruptedException {
    long last = Long.MIN_VALUE;
    for (int attempt = 0; attempt < 400; attempt++) {
      try {
        last = read();
        if (last == expected) {
          return;
        }
      } catch (UncheckedIOException notServingYet) {
        // The endpoint starts with the SDK.
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "the gauge at " + endpoint + " never read " + expected + "; last read " + last);
  }

  /** The gauge; 0 while the agent has recorded no queue change yet (no series). */
  long read() {
    try {
      for (String line : scrape().split("\n")) {
        if (line.startsWith(QUEUE_SIZE + " ")) {
          return Long.parseLong(line.substring(QUEUE_SIZE.length() + 1).trim());
        }
      }
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String scrape() throws IOException {
    HttpURLConnection connection = (HttpURLConnection) endpoint.openConnection();
    try (InputStream body = connection.getInputStream()) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      connection.disconnect();
    }
  }
}
