package dev.usagemetrics.agent.config;

import java.util.Map;

/**
 * Test helper: parses YAML with a fixed, map-backed environment. Public so that tests in other
 * packages (the CLI printer) can build a real {@link AgentConfig} without the process environment.
 */
public final class ConfigFixtures {

  public static final String SOURCE = "test.yaml";

  private ConfigFixtures() {}

  public static String yaml(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  public static ConfigLoader loader(Map<String, String> environment) {
    return new ConfigLoader(new EnvironmentSubstitution(environment));
  }

  public static AgentConfig parse(Map<String, String> environment, String... lines)
      throws ConfigException {
    return loader(environment).parse(yaml(lines), SOURCE);
  }
}
