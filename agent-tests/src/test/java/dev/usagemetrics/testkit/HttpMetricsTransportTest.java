package dev.usagemetrics.testkit;

import static dev.usagemetrics.testkit.UsageMetrics.QUEUE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http/protobuf endpoint follows OTLP/HTTP for what the SDK exporter does not exercise. */
class HttpMetricsTransportTest {

  private OtlpReceiver receiver;

  @BeforeEach
  void start() {
    receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void answersAnExportResponseAndKeepsTheRequest() throws Exception {
    byte[] body = gzip(queueSizeExport(9).toByteArray());
    HttpResponse<byte[]> response =
        RawHttp.send(HttpRequest.newBuilder(URI.create(receiver.metricsEndpoint()))
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "gzip")
            .header("X-Tenant", "acme")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

    assertEquals(200, response.statusCode());
    assertEquals(
        "application/x-protobuf", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(
        ExportMetricsServiceResponse.getDefaultInstance(),
        ExportMetricsServiceResponse.parseFrom(response.body()));
    assertEquals(List.of("acme"), receiver.headerValues("x-tenant"));
    assertEquals(9, receiver.metrics().latest(QUEUE_SIZE).orElseThrow().longValue());
  }

  @Test
  void rejectsWhatIsNotAProtobufPostToTheMetricsPath() throws Exception {
    String base = receiver.endpoint();
    assertEquals(
        415,
        RawHttp.send(HttpRequest.newBuilder(URI.create(receiver.metricsEndpoint()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")))
            .statusCode());
    assertEquals(405, get(receiver.metricsEndpoint()));
    assertEquals(404, get(base + "/v1/traces"));
    assertEquals(404, get(base + "/v1/metricsx"));
    assertEquals(
        400, RawHttp.postProtobuf(receiver, new byte[] {(byte) 0xff, 0x01}).statusCode());
    assertEquals(0, receiver.requestCount(), "malformed requests are not export requests");
  }

  private static int get(String url) throws Exception {
    return RawHttp.send(HttpRequest.newBuilder(URI.create(url))).statusCode();
  }

  private static ExportMetricsServiceRequest queueSizeExport(long value) {
    Metric metric = Metric.newBuilder()
        .setName(QUEUE_SIZE)
        .setSum(Sum.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().setAsInt(value).setTimeUnixNano(1)))
        .build();
    ScopeMetrics scope = ScopeMetrics.newBuilder().addMetrics(metric).build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope))
        .build();
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }
}
