package dev.usagemetrics.testkit;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The demo's stand-in for an OpenTelemetry collector: receives OTLP metrics over gRPC and
 * http/protobuf and prints a live summary of what arrived every 2 seconds.
 *
 * <p>Usage: {@code DemoCollector [grpcPort [httpPort]]}, defaults 4317 and 4318.
 */
public final class DemoCollector {

  private static final int DEFAULT_GRPC_PORT = 4317;
  private static final int DEFAULT_HTTP_PORT = 4318;
  private static final long REFRESH_SECONDS = 2;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** Home the cursor and clear the screen, so a terminal shows one table that updates in place. */
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

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
    MetricsView view = MetricsView.of(grpc, http);
    String header =
        String.format(
            "demo collector  grpc 127.0.0.1:%d  http/protobuf 127.0.0.1:%d",
            grpc.port(),
            http.port());
    boolean terminal = System.console() != null;
    ZoneId zone = ZoneId.systemDefault();

    ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
    printer.scheduleAtFixedRate(
        () -> {
          Instant now = Instant.now();
          String summary;
          try {
            summary = LiveSummary.render(view, now, zone);
          } catch (RuntimeException e) {
            // An exception would silently cancel the schedule; show it and try again next time.
            summary = "  cannot summarize what arrived: " + e + System.lineSeparator();
          }
          System.out.print(terminal ? CLEAR_SCREEN : System.lineSeparator());
          System.out.printf(
              "%s  %s  %d requests%n%s",
              header,
              CLOCK.format(now.atZone(zone)),
              grpc.requestCount() + http.requestCount(),
              summary);
          System.out.flush();
        },
        0,
        REFRESH_SECONDS,
        TimeUnit.SECONDS);

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  printer.shutdownNow();
                  grpc.stop();
                  http.stop();
                },
                "demo-collector-shutdown"));
  }
}
