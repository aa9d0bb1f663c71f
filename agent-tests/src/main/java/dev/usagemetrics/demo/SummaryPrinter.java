package dev.usagemetrics.demo;

import dev.usagemetrics.testkit.MetricsView;
import dev.usagemetrics.testkit.OtlpReceiver;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints the live summary of what the receivers got, every couple of seconds, for the demos. */
final class SummaryPrinter implements AutoCloseable {

  private static final long REFRESH_SECONDS = 2;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** Home the cursor and clear the screen, so a terminal shows one table that updates in place. */
  private static final String CLEAR_SCREEN = "\033[H\033[2J";

  private final OtlpReceiver grpc;
  private final OtlpReceiver http;
  private final MetricsView view;
  private final PrintStream out;
  private final ZoneId zone = ZoneId.systemDefault();
  private final boolean terminal = System.console() != null;
  private final ScheduledExecutorService printer =
      Executors.newSingleThreadScheduledExecutor(body -> {
        Thread thread = new Thread(body, "demo-summary");
        thread.setDaemon(true);
        return thread;
      });

  SummaryPrinter(OtlpReceiver grpc, OtlpReceiver http, PrintStream out) {
    this.grpc = grpc;
    this.http = http;
    this.view = MetricsView.of(grpc, http);
    this.out = out;
  }

  void start() {
    printer.scheduleAtFixedRate(this::printOnce, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  synchronized void printOnce() {
    Instant now = Instant.now();
    String summary;
    try {
      summary = LiveSummary.render(view, now, zone);
    } catch (RuntimeException e) {
      // An exception would silently cancel the schedule; show it and try again next time.
      summary = "  cannot summarize what arrived: " + e + System.lineSeparator();
    }
    out.print(terminal ? CLEAR_SCREEN : System.lineSeparator());
    out.printf(
        "demo collector  grpc 127.0.0.1:%d  http/protobuf 127.0.0.1:%d  %s  %d requests%n%s",
        grpc.port(),
        http.port(),
        CLOCK.format(now.atZone(zone)),
        grpc.requestCount() + http.requestCount(),
        summary);
    out.flush();
  }

  @Override
  public void close() {
    printer.shutdownNow();
  }
}
