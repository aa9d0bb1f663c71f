package dev.usagemetrics.agent.injection.boot;

/** Defined in the test JVM's bootstrap loader by {@code BootLoaderDefinerCanaryTest}; never loaded otherwise. */
public final class DefinedByCanary {

  private DefinedByCanary() {}
}
