package dev.usagemetrics.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long our agent holds a JVM's exit when the collector cannot be reached: {@link StartupMain}
 * under our agent, spawn → exit, exporting to the working sink, to a port nobody listens on, and
 * to a host that does not resolve. Medians of {@link #RUNS} runs interleaved across the three,
 * after one discarded warm-up round.
 */
final class ExitDelayTimer {

  static final int RUNS = 5;

  /** The collectors, in the order of {@link #measure}'s result. */
  static final String WORKING = "working";

  static final String REFUSED = "refused";
  static final String UNRESOLVABLE = "unresolvable";

  private final MeasuredJvm measuredJvm;
  private final Path agentJar;
  private final Path workDir;

  ExitDelayTimer(MeasuredJvm measuredJvm, Path agentJar, Path workDir) {
    this.measuredJvm = measuredJvm;
    this.agentJar = agentJar;
    this.workDir = workDir;
  }

  /** Median spawn → exit milliseconds by collector, {@code workingEndpoint} being the live sink. */
  Map<String, Double> measure(String workingEndpoint) throws IOException, InterruptedException {
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put(WORKING, workingEndpoint);
    endpoints.put(REFUSED, "http://127.0.0.1:" + closedPort());
    // .invalid never resolves (RFC 2606).
    endpoints.put(UNRESOLVABLE, "http://collector.invalid:4318");
    List<Flavor> flavors = new ArrayList<>();
    for (Map.Entry<String, String> endpoint : endpoints.entrySet()) {
      Path file = workDir.resolve("bench-agent-" + endpoint.getKey() + ".yaml");
      Path config = AgentConfigFile.write(file, endpoint.getValue());
      flavors.add(new Flavor(
          Flavor.OURS + "-" + endpoint.getKey(), Flavor.ours(agentJar, config).jvmArgs()));
    }
    Map<String, List<Double>> exitMillis = new LinkedHashMap<>();
    endpoints.keySet().forEach(collector -> exitMillis.put(collector, new ArrayList<>()));
    for (int round = -1; round < RUNS; round++) {
      int index = 0;
      for (String collector : endpoints.keySet()) {
        MeasuredJvm.Outcome outcome = measuredJvm.run(flavors.get(index++), StartupMain.class);
        if (round >= 0) {
          exitMillis.get(collector).add(outcome.wallNanos() / 1e6);
        }
      }
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    exitMillis.forEach((collector, values) -> medians.put(collector, Statistics.median(values)));
    return medians;
  }

  /** A loopback port that was free a moment ago. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
