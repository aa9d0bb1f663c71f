package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.fixtures.InstrumentedFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Which configured classes count as loaded, and what checking their methods reads. */
class TargetReportTest {

  @Test
  void aConfiguredClassIsLookedIntoBeyondItsOwnMethodsOnlyWhenItLacksAConfiguredOne()
      throws ConfigException, IOException {
    TargetReport report = reportFor(
        InstrumentedFixtures.TokenRepository.class.getName(),
        "    - class: " + InstrumentedFixtures.Backlog.class.getName(),
        "      enqueue: [offer]",
        "      dequeue: [poll]");
    ReadCountingLoader loader = new ReadCountingLoader();

    report.seen(outline(InstrumentedFixtures.TokenRepository.class), loader);
    assertEquals(Map.of(), loader.reads, "it declares them all");

    report.seen(outline(InstrumentedFixtures.Backlog.class), loader);
    assertTrue(
        loader.reads.containsKey("java/util/concurrent/ArrayBlockingQueue.class"),
        "where its inherited offer and poll are declared: " + loader.reads);
    assertEquals(List.of(), report.unloadedClasses());
  }

  /** The report for {@code persistClass}'s {@code persist} method and the queue targets given as YAML lines. */
  private static TargetReport reportFor(String persistClass, String... queueTargetLines)
      throws ConfigException {
    List<String> yaml = new ArrayList<>(List.of(
        "persist:",
        "  targets:",
        "    - class: " + persistClass,
        "      methods: [persist]",
        "queue:",
        "  targets:"));
    yaml.addAll(List.of(queueTargetLines));
    yaml.addAll(List.of("export:", "  otlp_enabled: false"));
    return new TargetReport(ConfigFixtures.parse(Map.of(), yaml.toArray(String[]::new)));
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
    TargetReport report =
        reportFor(InstrumentedFixtures.Repository.class.getName(), "    - class: java.util.Queue");
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
