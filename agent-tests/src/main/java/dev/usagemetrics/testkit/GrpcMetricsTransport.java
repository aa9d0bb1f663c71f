package dev.usagemetrics.testkit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** OTLP/gRPC: the generated {@code MetricsService} from opentelemetry-proto on a Netty server. */
final class GrpcMetricsTransport implements MetricsTransport {

  /** Carries the call's metadata from the interceptor to the service method. */
  private static final Context.Key<Metadata> HEADERS = Context.key("otlp-request-headers");

  private final ExportHandler handler;
  private final TlsIdentity identity;
  private final TlsIdentity requiredClient;
  private Server server;

  /**
   * @param identity the server's TLS identity, or null for plaintext
   * @param requiredClient the one client identity accepted (mutual TLS), or null for none
   */
  GrpcMetricsTransport(ExportHandler handler, TlsIdentity identity, TlsIdentity requiredClient) {
    this.handler = handler;
    this.identity = identity;
    this.requiredClient = requiredClient;
  }

  @Override
  public int start(int port) throws IOException {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(
            new InetSocketAddress("127.0.0.1", port))
        // so a restart can rebind the port while old connections sit in TIME_WAIT
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .addService(ServerInterceptors.intercept(new MetricsService(), new HeaderCapture()));
    if (identity != null) {
      SslContextBuilder tls = GrpcSslContexts.forServer(
          identity.certificate().toFile(), identity.privateKey().toFile());
      if (requiredClient != null) {
        tls.trustManager(requiredClient.certificate().toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      builder.sslContext(tls.build());
    }
    server = builder.build().start();
    return server.getPort();
  }

  @Override
  public void stop() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class MetricsService extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(
        ExportMetricsServiceRequest request,
        StreamObserver<ExportMetricsServiceResponse> responseObserver) {
      Reply reply = handler.onExport(request, asMap(HEADERS.get()));
      switch (reply.disposition()) {
        case ACCEPTED -> {
          responseObserver.onNext(ExportMetricsServiceResponse.getDefaultInstance());
          responseObserver.onCompleted();
        }
        case REFUSED ->
          responseObserver.onError(Status.fromCodeValue(reply.code())
              .withDescription("refused by the test receiver")
              .asRuntimeException());
        case STALLED -> {
          // Never answer: the client's deadline or the server's shutdown ends the call.
        }
      }
    }
  }

  private static final class HeaderCapture implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      Context withHeaders = Context.current().withValue(HEADERS, headers);
      return Contexts.interceptCall(withHeaders, call, headers, next);
    }
  }

  private static Map<String, List<String>> asMap(Metadata metadata) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : metadata.keys()) {
      if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        Iterable<String> values =
            metadata.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        List<String> list = new ArrayList<>();
        values.forEach(list::add);
        headers.put(name, list);
      }
    }
    return headers;
  }
}
