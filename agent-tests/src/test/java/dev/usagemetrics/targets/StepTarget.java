package dev.usagemetrics.targets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A purpose-built target that takes its steps from standard input, one per line, so a test can
 * change the collector between two steps of one running application:
 *
 * <ul>
 *   <li>{@code run LABEL MILLIS}: persists for that long (mixed outcomes, {@link SyntheticFailures}),
 *       timing every call itself; prints {@code LABEL calls=.. mean_ns=.. max_ns=..} and the totals
 *       per outcome since the start;
 *   <li>{@code sockets LABEL}: prints {@code LABEL listening=N}, the TCP ports this process listens on;
 *   <li>{@code listen LABEL}: opens a listening socket of the application's own, then as {@code sockets};
 *   <li>{@code exit}: returns from main; {@code system-exit}: {@code System.exit(0)}.
 * </ul>
 *
 * It waits for the next line otherwise (a SIGTERM then ends it) and returns at end of input.
 */
public final class StepTarget {

  /** The configured persist target. */
  public static class Ledger {
    public void persist(int outcome) throws SQLException {
      SyntheticFailures.produce(outcome);
    }
  }

  private final Ledger ledger = new Ledger();
  private final OutcomeTally totals = new OutcomeTally();
  private final List<ServerSocket> ownSockets = new ArrayList<>();

  private StepTarget() {}

  public static void main(String[] args) throws IOException {
    StepTarget target = new StepTarget();
    BufferedReader steps =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    for (String line = steps.readLine(); line != null; line = steps.readLine()) {
      String[] step = line.trim().split("\\s+");
      switch (step[0]) {
        case "run":
          target.run(step[1], Long.parseLong(step[2]));
          break;
        case "sockets":
          printListeningPorts(step[1]);
          break;
        case "listen":
          target.ownSockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
          printListeningPorts(step[1]);
          break;
        case "exit":
          System.out.println("EXITING");
          return;
        case "system-exit":
          System.out.println("EXITING");
          System.exit(0);
          break;
        default:
          throw new IllegalArgumentException("unknown step: " + line);
      }
    }
  }

  private void run(String label, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    long calls = 0;
    long totalNanos = 0;
    long maxNanos = 0;
    long now = System.nanoTime();
    while (now < end) {
      int outcome = SyntheticFailures.outcomeOf(calls);
      try {
        ledger.persist(outcome);
      } catch (SQLException | IllegalArgumentException expected) {
        // the outcome is what we asked for; the agent must not have changed it
      }
      long after = System.nanoTime();
      totalNanos += after - now;
      maxNanos = Math.max(maxNanos, after - now);
      totals.count(outcome);
      calls++;
      now = after;
    }
    System.out.println(label + " calls=" + calls + " mean_ns=" + totalNanos / Math.max(1, calls)
        + " max_ns=" + maxNanos + " " + totals);
  }

  /** This process's listening TCP sockets: its socket inodes that /proc/net/tcp{,6} lists in state LISTEN. */
  private static void printListeningPorts(String label) throws IOException {
    Set<String> ownInodes = new HashSet<>();
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      for (Path descriptor : (Iterable<Path>) descriptors::iterator) {
        try {
          String target = Files.readSymbolicLink(descriptor).toString();
          if (target.startsWith("socket:[")) {
            ownInodes.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed while listing
        }
      }
    }
    List<Integer> ports = new ArrayList<>();
    for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String row : lines.subList(1, lines.size())) {
        String[] fields = row.trim().split("\\s+");
        boolean listening = "0A".equals(fields[3]);
        if (listening && ownInodes.contains(fields[9])) {
          ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
        }
      }
    }
    System.out.println(label + " listening=" + ports.size());
    System.out.println(label + "-ports " + ports);
  }
}
