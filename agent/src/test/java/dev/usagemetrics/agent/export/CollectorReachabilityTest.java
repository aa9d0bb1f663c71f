package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CollectorReachabilityTest {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  @Test
  void aListeningCollectorIsReachable() throws IOException {
    try (ServerSocket collector = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertNull(CollectorReachability.unreachable(
          URI.create("http://127.0.0.1:" + collector.getLocalPort()), CONNECT_TIMEOUT));
    }
  }

  @Test
  void aRefusedPortIsUnreachableAndSaysSo() throws IOException {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    String reason = CollectorReachability.unreachable(
        URI.create("http://127.0.0.1:" + port + "/v1/metrics"), CONNECT_TIMEOUT);
    assertTrue(
        reason != null
            && reason.startsWith("the collector at ")
            && reason.contains(":" + port + " refused the connection"),
        reason);
  }

  @Test
  void anUnknownHostIsUnreachableAndSaysSo() {
    String reason = CollectorReachability.unreachable(
        URI.create("https://collector.invalid:4317"), CONNECT_TIMEOUT);
    assertTrue("the collector's host collector.invalid does not resolve".equals(reason), reason);
  }
}
