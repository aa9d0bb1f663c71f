package dev.usagemetrics.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Hand-made requests to the http/protobuf receiver, for what an exporter never sends. */
final class RawHttp {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private RawHttp() {}

  static HttpResponse<byte[]> postProtobuf(OtlpReceiver receiver, byte[] body)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(receiver.metricsEndpoint()))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
