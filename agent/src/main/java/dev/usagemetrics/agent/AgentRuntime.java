package dev.usagemetrics.agent;

import dev.usagemetrics.agent.config.AgentConfig;
import dev.usagemetrics.agent.config.ConfigException;
import dev.usagemetrics.agent.config.ConfigLoader;
import dev.usagemetrics.agent.config.ConfigLocation;
import dev.usagemetrics.agent.injection.BootstrapInjector;
import dev.usagemetrics.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * The agent's startup sequence, shared by {@code premain} and {@code agentmain}.
 *
 * <p>Fail-open: any problem disables the agent with a clear report and the application runs as if
 * it were not there, unless strict mode asks for the JVM to refuse to start instead.
 *
 * <p>This class must not refer to the bootstrap bridge types: they have to be injected before
 * any class mentioning them is loaded, which {@link AgentInstallation} then is.
 */
final class AgentRuntime {

  static final String STRICT_PROPERTY = "usage.metrics.strict";

  private AgentRuntime() {}

  static void start(String agentArgument, Instrumentation instrumentation, boolean attached) {
    boolean strict = Boolean.getBoolean(STRICT_PROPERTY);
    long startNanos = System.nanoTime();
    try {
      AgentConfig config = new ConfigLoader().load(ConfigLocation.resolve(agentArgument));
      strict |= config.strict();
      AgentLog.configure(config.logLevel(), config.logFile());
      AgentLog.debug("configuration read in " + millisSince(startNanos) + " ms");
      BootstrapInjector.inject(instrumentation);
      AgentLog.debug("bridge injected at " + millisSince(startNanos) + " ms");
      AgentInstallation.install(config, instrumentation, attached);
      AgentLog.debug("installed in " + millisSince(startNanos) + " ms");
    } catch (ConfigException e) {
      refuseOrDisable(strict || e.strictRequested(), "invalid configuration, " + e.getMessage(), e);
    } catch (AgentInstallation.AlreadyInstalledException e) {
      AgentLog.error(e.getMessage());
      throw e;
    } catch (Throwable e) {
      refuseOrDisable(strict, "could not start: " + e, e);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static void refuseOrDisable(boolean strict, String problem, Throwable cause) {
    if (strict) {
      AgentLog.error("strict mode: refusing to start the JVM: " + problem);
      throw new IllegalStateException(AgentLog.PREFIX + problem, cause);
    }
    AgentLog.error(
        "disabled, the application runs without usage metrics: " + problem
            + "\n  (check a configuration offline with: java -jar usage-metrics-agent.jar check <config.yaml>)");
  }
}
