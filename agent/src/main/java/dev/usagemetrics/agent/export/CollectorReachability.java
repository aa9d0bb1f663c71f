package dev.usagemetrics.agent.export;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Whether the collector can be connected to at all, asked when the export at JVM exit is slow to
 * finish: the exporter retries a refused connection or an unknown host with backoff for seconds,
 * and waiting for that would only delay the exit. Only a definite answer counts as unreachable
 * (connection refused, no route, host unknown); a connection that is accepted, or that takes
 * its time, means the collector may still answer, and the export is waited for as usual.
 *
 * <p>It connects where the exporter would: through the proxy the JVM's proxy selector names for
 * the endpoint, if any, else to each of the host's addresses.
 */
final class CollectorReachability {

  private CollectorReachability() {}

  /**
   * Why the collector at {@code endpoint} cannot be connected to now (e.g. "the collector at
   * localhost/127.0.0.1:4317 refused the connection (Connection refused)"), or null if it may be.
   */
  static String unreachable(URI endpoint, Duration connectTimeout) {
    String host = endpoint.getHost();
    if (host == null) {
      return null;
    }
    InetSocketAddress proxy = proxyFor(endpoint);
    if (proxy != null) {
      return unreachable(
          proxy.getHostString(), proxy.getPort(), connectTimeout, "the collector's proxy");
    }
    int port = endpoint.getPort() >= 0
        ? endpoint.getPort()
        : ("https".equalsIgnoreCase(endpoint.getScheme()) ? 443 : 80);
    return unreachable(host, port, connectTimeout, "the collector");
  }

  private static String unreachable(String host, int port, Duration connectTimeout, String what) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return what + "'s host " + host + " does not resolve";
    } catch (SecurityException e) {
      return null;
    }
    String refused = null;
    for (InetAddress address : addresses) {
      InetSocketAddress target = new InetSocketAddress(address, port);
      try (Socket socket = new Socket()) {
        socket.connect(
            target, (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis())));
        return null;
      } catch (ConnectException | NoRouteToHostException e) {
        refused = what + " at " + target + " refused the connection (" + e.getMessage() + ")";
      } catch (IOException | SecurityException | IllegalArgumentException mayYetAnswer) {
        return null;
      }
    }
    return refused;
  }

  /** The proxy the JVM's default selector chooses for {@code endpoint}, or null for a direct connection. */
  private static InetSocketAddress proxyFor(URI endpoint) {
    try {
      ProxySelector selector = ProxySelector.getDefault();
      List<Proxy> proxies = selector == null ? List.of() : selector.select(endpoint);
      Proxy first = proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
      return first.type() != Proxy.Type.DIRECT && first.address() instanceof InetSocketAddress
          ? (InetSocketAddress) first.address()
          : null;
    } catch (RuntimeException unknown) {
      return null;
    }
  }
}
