package dev.usagemetrics.demo;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.Protocol;
import dev.usagemetrics.testkit.StandInSdk;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo collector, run as the demo runs it, shows what arrives over either protocol. */
class DemoCollectorTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void printsALiveSummaryOfExportsOverBothProtocols() throws IOException {
    int grpcPort = freePort();
    int httpPort = freePort();
    try (ChildJvm collector = ChildJvm.builder()
        .name("demo-collector")
        .classpath(System.getProperty("java.class.path"))
        .mainClass(DemoCollector.class.getName())
        .args(Integer.toString(grpcPort), Integer.toString(httpPort))
        .start()) {
      collector.awaitOutput("waiting for the first export", WAIT);

      try (StandInSdk viaGrpc = StandInSdk.exportingTo(
                  Protocol.GRPC, "http://127.0.0.1:" + grpcPort)
              .instanceId("via-grpc")
              .start();
          StandInSdk viaHttp = StandInSdk.exportingTo(
                  Protocol.HTTP_PROTOBUF, "http://127.0.0.1:" + httpPort + "/v1/metrics")
              .instanceId("via-http")
              .start()) {
        viaGrpc.recordPersist("success", 0.003);
        viaGrpc.flushAndExpectSuccess();
        viaHttp.recordError("validation", 1);
        viaHttp.flushAndExpectSuccess();
      }

      collector.awaitOutput("instance via-grpc", WAIT);
      collector.awaitOutput("instance via-http", WAIT);
      collector.awaitOutput("errors     validation 1", WAIT);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
