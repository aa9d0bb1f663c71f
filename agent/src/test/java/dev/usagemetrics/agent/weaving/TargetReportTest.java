package dev.usagemetrics.agent.weaving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigFixtures;
import dev.usagemetrics.fixtures.InstrumentedFixtures;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Which configured classes count as loaded, for the "never loaded" warning. */
class TargetReportTest {

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
