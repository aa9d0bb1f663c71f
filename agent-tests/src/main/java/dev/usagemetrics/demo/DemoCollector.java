package dev.usagemetrics.demo;

import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;

/**
 * The demo's stand-in for an OpenTelemetry collector: receives OTLP metrics over gRPC and
 * http/protobuf and prints a live summary of what arrived every 2 seconds.
 *
 * <p>Usage: {@code DemoCollector [grpcPort [httpPort]]}, defaults 4317 and 4318.
 */
public final class DemoCollector {

  private static final int DEFAULT_GRPC_PORT = 4317;
  private static final int DEFAULT_HTTP_PORT = 4318;

  private DemoCollector() {}

  public static void main(String[] args) {
    int grpcPort = DEFAULT_GRPC_PORT;
    int httpPort = DEFAULT_HTTP_PORT;
    try {
      if (args.length > 2) {
        throw new IllegalArgumentException("too many arguments");
      }
      grpcPort = args.length > 0 ? Integer.parseInt(args[0]) : grpcPort;
      httpPort = args.length > 1 ? Integer.parseInt(args[1]) : httpPort;
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\nusage: DemoCollector [grpcPort [httpPort]]");
      System.exit(2);
    }

    OtlpReceiver grpc = OtlpReceiver.start(Protocol.GRPC, grpcPort);
    OtlpReceiver http = OtlpReceiver.start(Protocol.HTTP_PROTOBUF, httpPort);
    SummaryPrinter summary = new SummaryPrinter(grpc, http, System.out);
    summary.start();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(
            () -> {
              summary.close();
              grpc.stop();
              http.stop();
            },
            "demo-collector-shutdown"));
  }
}
