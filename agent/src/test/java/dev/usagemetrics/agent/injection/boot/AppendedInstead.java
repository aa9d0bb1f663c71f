package dev.usagemetrics.agent.injection.boot;

/** Injected into the test JVM's bootstrap loader by {@code BootstrapInjectorTest}; never loaded otherwise. */
public final class AppendedInstead {

  private AppendedInstead() {}
}
