package dev.usagemetrics.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the configuration file is named, in order: the agent argument
 * ({@code -javaagent:agent.jar=/path/config.yaml}), the system property
 * {@value #SYSTEM_PROPERTY}, the environment variable {@value #ENVIRONMENT_VARIABLE}.
 */
public final class ConfigLocation {

  public static final String SYSTEM_PROPERTY = "usage.metrics.config";
  public static final String ENVIRONMENT_VARIABLE = "USAGE_METRICS_CONFIG";

  private ConfigLocation() {}

  public static Path resolve(String agentArgument) throws ConfigException {
    for (String candidate : new String[] {
      agentArgument, System.getProperty(SYSTEM_PROPERTY), System.getenv(ENVIRONMENT_VARIABLE)
    }) {
      if (candidate != null && !candidate.isBlank()) {
        return Path.of(candidate.trim());
      }
    }
    throw new ConfigException(List.of(new ConfigProblem(
        "(no configuration)",
        "no configuration file given: use -javaagent:usage-metrics-agent.jar=/path/config.yaml, -D"
            + SYSTEM_PROPERTY + "=/path/config.yaml or the environment variable "
            + ENVIRONMENT_VARIABLE)));
  }
}
