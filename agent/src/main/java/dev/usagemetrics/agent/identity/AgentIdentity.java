package dev.usagemetrics.agent.identity;

/** What identifies this agent to the JVM it runs in and to the command line: its version, its mark. */
public final class AgentIdentity {

  /**
   * Set in the target JVM once installed, to the agent's version, so that {@code attach} can
   * refuse a second attach up front.
   */
  public static final String INSTALLED_PROPERTY = "usage.metrics.agent.installed";

  private AgentIdentity() {}

  /** The agent's version, from the jar manifest; {@code dev} outside the built jar. */
  public static String version() {
    String version = AgentIdentity.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
