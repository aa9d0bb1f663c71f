package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.fixtures.InstrumentedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Which configured classes count as loaded, and what checking their methods reads. */
class TargetReportTest {

  @Test
  void aConfiguredClassIsLookedIntoBeyondItsOwnMethodsOnlyWhenItLacksAConfiguredOne()
      throws ConfigException, IOException {
    TargetReport report = new TargetReport(ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - class: " + InstrumentedFixtures.TokenRepository.class.getName(),
        "      methods: [persist]",
        "queue:",
        "  targets:",
        "    - class: " + InstrumentedFixtures.Backlog.class.getName(),
        "      enqueue: [offer]",
        "      dequeue: [poll]",
        "export:",
        "  otlp_enabled: false"));
    ReadCountingLoader loader = new ReadCountingLoader();

    report.seen(outline(InstrumentedFixtures.TokenRepository.class), loader);
    assertEquals(Map.of(), loader.reads, "it declares them all");

    report.seen(outline(InstrumentedFixtures.Backlog.class), loader);
    assertTrue(
        loader.reads.containsKey("java/util/concurrent/ArrayBlockingQueue.class"),
        "where its inherited offer and poll are declared: " + loader.reads);
    assertEquals(List.of(), report.unloadedClasses());
  }

  private static ClassOutline outline(Class<?> type) throws IOException {
    try (InputStream in =
        type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
      return ClassOutline.of(in.readAllBytes());
    }
  }

  @Test
  void aConfiguredClassAlreadyLoadedWhenTheAgentInstallsIsNotReportedAsNeverLoaded()
      throws ConfigException {
    TargetReport report = new TargetReport(ConfigFixtures.parse(
        Map.of(),
        "persist:",
        "  targets:",
        "    - class: " + InstrumentedFixtures.Repository.class.getName(),
        "      methods: [persist]",
        "queue:",
        "  targets:",
        "    - class: java.util.Queue",
        "export:",
        "  otlp_enabled: false"));
    assertEquals(
        List.of(InstrumentedFixtures.Repository.class.getName(), "java.util.Queue"),
        report.unloadedClasses());

    report.seenLoaded(String.class);
    report.seenLoaded(Queue.class);
    assertEquals(
        List.of(InstrumentedFixtures.Repository.class.getName()),
        report.unloadedClasses(),
        "a JDK type is loaded before any agent: the transformer never sees it load");
  }
}
