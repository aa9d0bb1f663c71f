package dev.usagemetrics.demo;

import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one-command demo: starts the demo collector, runs the example LLM-usage service under the
 * agent (exporting to the collector over OTLP gRPC), and prints the live summary of what the
 * agent exports until the service's run ends.
 *
 * <p>Usage: {@code DemoRun <agent.jar> <example-target.jar> <agent-config.yaml> [seconds]}.
 */
public final class DemoRun {

  private DemoRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4) {
      System.err.println(
          "usage: DemoRun <agent.jar> <example-target.jar> <agent-config.yaml> [seconds]");
      System.exit(2);
    }
    int seconds = args.length == 4 ? Integer.parseInt(args[3]) : 60;
    try (OtlpReceiver grpc = OtlpReceiver.start(Protocol.GRPC, 0);
        OtlpReceiver http = OtlpReceiver.start(Protocol.HTTP_PROTOBUF, 0);
        SummaryPrinter summary = new SummaryPrinter(grpc, http, System.out);
        ChildJvm service = ChildJvm.builder()
            .name("example-target")
            .javaagent(
                Path.of(args[0]).toAbsolutePath(),
                Path.of(args[2]).toAbsolutePath().toString())
            .env("OTLP_ENDPOINT", grpc.endpoint())
            .systemProperty("otel.metric.export.interval", "2000")
            .jar(Path.of(args[1]).toAbsolutePath())
            .args("--duration", seconds + "s", "--rate", "300", "--writers", "1")
            .start()) {
      summary.start();
      int exit = service.waitFor(Duration.ofSeconds(seconds + 60L));
      summary.printOnce();
      System.out.println(
          "example target exited with " + exit + "; its last line: " + lastLine(service.stdout()));
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1];
  }
}
