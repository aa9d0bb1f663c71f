package dev.usagemetrics.testkit;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One protocol's server side: decodes export requests and answers as the receiver decides. */
interface MetricsTransport {

  /** Records a decoded request and says how to answer it. */
  @FunctionalInterface
  interface ExportHandler {
    Reply onExport(ExportMetricsServiceRequest request, Map<String, List<String>> headers);
  }

  /**
   * Binds 127.0.0.1 and starts serving.
   *
   * @param port the port, or 0 for a free one
   * @return the bound port
   */
  int start(int port) throws IOException;

  /** Stops serving and drops open connections, including stalled requests. */
  void stop();
}
