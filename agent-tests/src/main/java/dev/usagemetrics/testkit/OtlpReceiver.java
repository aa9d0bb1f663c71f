package dev.usagemetrics.testkit;

import io.grpc.Status;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real OTLP metrics endpoint on 127.0.0.1 that keeps every request it receives.
 *
 * <p>It can be told to refuse or stall requests, and be stopped and restarted on the same port,
 * to test how an exporter copes with a collector that misbehaves. Received requests survive
 * restarts. All methods are thread-safe.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** Orders requests across receivers, so a view over several sees one arrival order. */
  private static final AtomicLong ARRIVALS = new AtomicLong();

  private final Protocol protocol;
  private final boolean tls;
  private final MetricsTransport transport;
  private final Queue<ReceivedRequest> requests = new ConcurrentLinkedQueue<>();
  private final AtomicReference<Reply> reply = new AtomicReference<>(Reply.ACCEPT);
  private int port;
  private boolean running;

  private OtlpReceiver(Protocol protocol, TlsIdentity identity, TlsIdentity requiredClient) {
    this.protocol = protocol;
    this.tls = identity != null;
    MetricsTransport.ExportHandler handler = this::onExport;
    this.transport = protocol == Protocol.GRPC
        ? new GrpcMetricsTransport(handler, identity, requiredClient)
        : new HttpMetricsTransport(handler);
  }

  /** Starts a receiver on a free port. */
  public static OtlpReceiver start(Protocol protocol) {
    return start(protocol, 0);
  }

  /** Starts a receiver on the given port (0 for a free one). */
  public static OtlpReceiver start(Protocol protocol, int port) {
    OtlpReceiver receiver = new OtlpReceiver(protocol, null, null);
    receiver.startOn(port);
    return receiver;
  }

  /**
   * Starts an OTLP/gRPC receiver over TLS on a free port, presenting {@code identity}; with a
   * {@code requiredClient}, only a client presenting that identity gets through (mutual TLS).
   */
  public static OtlpReceiver startTls(TlsIdentity identity, TlsIdentity requiredClient) {
    OtlpReceiver receiver = new OtlpReceiver(Protocol.GRPC, identity, requiredClient);
    receiver.startOn(0);
    return receiver;
  }

  public Protocol protocol() {
    return protocol;
  }

  public synchronized int port() {
    return port;
  }

  /**
   * The base URL, e.g. {@code http://127.0.0.1:4317} ({@code https} over TLS), as OTEL_EXPORTER_OTLP_ENDPOINT
   * takes it.
   */
  public String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /**
   * The URL a metrics exporter is configured with directly: the base URL for gRPC, with {@code
   * /v1/metrics} appended for http/protobuf.
   */
  public String metricsEndpoint() {
    return protocol == Protocol.GRPC ? endpoint() : endpoint() + HttpMetricsTransport.METRICS_PATH;
  }

  public synchronized boolean isRunning() {
    return running;
  }

  /** Stops listening; clients get connection refused until {@link #restart()}. */
  public synchronized void stop() {
    if (running) {
      transport.stop();
      running = false;
    }
  }

  /** Stops if running, then listens again on the same port. */
  public synchronized void restart() {
    stop();
    startOn(port);
  }

  @Override
  public void close() {
    stop();
  }

  /** Answers every request normally again. */
  public void accept() {
    reply.set(Reply.ACCEPT);
  }

  /** Refuses every request with "try again later": gRPC UNAVAILABLE, HTTP 503. */
  public void refuse() {
    refuse(protocol == Protocol.GRPC ? Status.Code.UNAVAILABLE.value() : 503);
  }

  /**
   * Refuses every request with this gRPC status code value (1-16, e.g. 8 RESOURCE_EXHAUSTED) or
   * HTTP error status (400-599, e.g. 429), per the protocol.
   */
  public void refuse(int code) {
    reply.set(Reply.refuse(requireErrorCode(code), null));
  }

  /** Refuses every request with this HTTP status and a {@code Retry-After} (whole seconds). */
  public void refuse(int httpStatus, Duration retryAfter) {
    if (protocol != Protocol.HTTP_PROTOBUF) {
      throw new IllegalStateException("Retry-After is an HTTP header; this receiver speaks gRPC");
    }
    reply.set(Reply.refuse(requireErrorCode(httpStatus), retryAfter));
  }

  /** Reads every request but never answers, until {@link #accept()} or a stop. */
  public void stall() {
    reply.set(Reply.STALL);
  }

  /** Every request received so far, refused and stalled ones included, in arrival order. */
  public List<ReceivedRequest> requests() {
    return List.copyOf(requests);
  }

  /** How many requests arrived, whatever they were answered. */
  public int requestCount() {
    return requests.size();
  }

  /** Waits until at least {@code count} requests arrived; fails with what did arrive. */
  public void awaitRequestCount(int count, Duration timeout) {
    Polling.await(
        timeout,
        () -> requestCount() >= count,
        () -> "expected " + count + " requests at " + endpoint() + ", got " + requestCount());
  }

  /** Every value of a header (case-insensitive name) over all requests, in arrival order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    requests.forEach(request -> values.addAll(request.header(name)));
    return values;
  }

  /** Queries over the accepted requests, live: it sees requests that arrive later. */
  public MetricsView metrics() {
    return MetricsView.of(this);
  }

  @Override
  public String toString() {
    return "OtlpReceiver[" + protocol.otelName() + " " + endpoint() + "]";
  }

  private void startOn(int requestedPort) {
    try {
      port = transport.start(requestedPort);
      running = true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start " + protocol.otelName() + " receiver on 127.0.0.1:" + requestedPort, e);
    }
  }

  private int requireErrorCode(int code) {
    boolean isError =
        protocol == Protocol.GRPC ? code >= 1 && code <= 16 : code >= 400 && code <= 599;
    if (!isError) {
      throw new IllegalArgumentException(code + " is not a " + protocol.otelName() + " error code");
    }
    return code;
  }

  private Reply onExport(ExportMetricsServiceRequest body, Map<String, List<String>> headers) {
    Reply answer = reply.get();
    requests.add(new ReceivedRequest(
        ARRIVALS.incrementAndGet(), Instant.now(), protocol, headers, body, answer.disposition()));
    return answer;
  }
}
