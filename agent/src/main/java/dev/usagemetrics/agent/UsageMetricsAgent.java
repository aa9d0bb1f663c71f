package dev.usagemetrics.agent;

import dev.usagemetrics.agent.cli.CommandLine;
import java.lang.instrument.Instrumentation;

/**
 * Entry points of {@code usage-metrics-agent.jar}: {@code -javaagent} (premain), runtime attach
 * (agentmain), and the command line ({@code java -jar usage-metrics-agent.jar ...}).
 */
public final class UsageMetricsAgent {

  private UsageMetricsAgent() {}

  public static void premain(String agentArgument, Instrumentation instrumentation) {
    AgentRuntime.start(agentArgument, instrumentation, false);
  }

  public static void agentmain(String agentArgument, Instrumentation instrumentation) {
    AgentRuntime.start(agentArgument, instrumentation, true);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(System.out, System.err).run(args));
  }
}
