package dev.usagemetrics.agent.injection;

import java.lang.invoke.MethodHandles;

/**
 * Never loaded by the agent's class loader: {@link BootLoaderDefiner} defines it, from its bytes,
 * alone in a class loader of its own, so that this lookup's module (that loader's unnamed module)
 * is one no other code shares.
 */
public final class IsolatedLookup {

  private IsolatedLookup() {}

  /** A full-privilege lookup in this class's module. */
  public static MethodHandles.Lookup lookup() {
    return MethodHandles.lookup();
  }
}
