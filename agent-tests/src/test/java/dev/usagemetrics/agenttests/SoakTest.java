package dev.usagemetrics.agenttests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.targets.SoakTarget;
import dev.usagemetrics.testkit.ChildJvm;
import dev.usagemetrics.testkit.OtlpReceiver;
import dev.usagemetrics.testkit.Protocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten million calls in one JVM: the heap after collection is the same at one million and at ten
 * (no growth per call, nothing kept per exception), every count is exact, and the agent's threads
 * are daemon and few.
 */
class SoakTest {

  private static final long CALLS = 10_000_000;
  private static final long CHECKPOINT = 1_000_000;
  private static final long MAX_HEAP_GROWTH = 2 * 1024 * 1024;
  private static final int MAX_AGENT_THREADS = 10;

  /**
   * Threads the agent's SDK starts that no API names: the periodic reader's worker (the reader
   * takes an executor for its schedule only), OkHttp's task runner (connections, HTTP/2 readers,
   * pool cleanup; renamed per task) and Okio's timeout watchdog.
   */
  private static boolean namedBySdk(String threadName) {
    return threadName.startsWith("PeriodicMetricReader-worker")
        || threadName.startsWith("OkHttp ")
        || threadName.equals("Okio Watchdog");
  }

  @TempDir
  Path dir;

  @Test
  void tenMillionCallsKeepTheHeapFlatAndTheThreadsFew() {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.GRPC)) {
      Path config = AgentHarness.writeConfig(
          dir,
          "agent.yaml",
          AgentHarness.concat(
              new String[] {
                "persist:",
                "  targets:",
                "    - class: " + SoakTarget.Ledger.class.getName(),
                "      methods: [persist]",
              },
              AgentHarness.exportTo(receiver, "500ms"),
              AgentHarness.PATIENT_EXIT));
      Map<String, Boolean> withoutAgent = threads(soak(
          ChildJvm.builder().name("soak-baseline").javaHome(AgentHarness.childJavaHome()),
          1000,
          500));
      ChildJvm app = soak(AgentHarness.jvmWithAgent("soak", config), CALLS, CHECKPOINT);
      Map<String, Long> soak = AgentHarness.reportLine(app.stdout(), "SOAK");

      long growth = soak.get("heap_at_end") - soak.get("heap_at_checkpoint");
      System.out.printf(
          "heap used after GC: %d bytes at %d calls, %d bytes at %d calls (growth %d bytes)%n",
          soak.get("heap_at_checkpoint"), CHECKPOINT, soak.get("heap_at_end"), CALLS, growth);
      assertTrue(
          growth < MAX_HEAP_GROWTH,
          "heap grew by " + growth + " bytes over " + (CALLS - CHECKPOINT) + " calls");

      Map<String, Boolean> agentThreads = new LinkedHashMap<>(threads(app));
      agentThreads.keySet().removeAll(withoutAgent.keySet());
      System.out.println("threads the agent added: " + agentThreads);
      assertTrue(agentThreads.size() <= MAX_AGENT_THREADS, "few threads: " + agentThreads);
      assertTrue(
          agentThreads.values().stream().allMatch(daemon -> daemon), "all daemon: " + agentThreads);
      Set<String> unrecognisable = agentThreads.keySet().stream()
          .filter(name -> !name.startsWith("usage-metrics-") && !namedBySdk(name))
          .collect(Collectors.toSet());
      assertEquals(
          Set.of(),
          unrecognisable,
          "every agent thread is named usage-metrics-* or is a documented SDK thread");

      assertEquals(CALLS, soak.get("calls"));
      ExportedTotals.awaitExactly(receiver.metrics(), soak, Duration.ofSeconds(10));
    }
  }

  /** Runs {@link SoakTarget} to its end. */
  private static ChildJvm soak(ChildJvm.Builder jvm, long calls, long checkpoint) {
    try (ChildJvm app = jvm.classpath(AgentHarness.testClasses())
        .mainClass(SoakTarget.class.getName())
        .args(Long.toString(calls), Long.toString(checkpoint))
        .start()) {
      assertEquals(0, app.waitFor(Duration.ofSeconds(120)), app.stderr());
      return app;
    }
  }

  /** The {@code THREAD daemon=.. name=..} lines: thread name to daemon flag. */
  private static Map<String, Boolean> threads(ChildJvm app) {
    Map<String, Boolean> threads = new LinkedHashMap<>();
    app.stdout().lines().filter(line -> line.startsWith("THREAD ")).forEach(line -> {
      int name = line.indexOf(" name=");
      threads.put(
          line.substring(name + " name=".length()),
          Boolean.parseBoolean(line.substring("THREAD daemon=".length(), name)));
    });
    return threads;
  }
}
