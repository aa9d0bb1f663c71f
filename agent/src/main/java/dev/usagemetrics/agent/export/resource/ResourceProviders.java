package dev.usagemetrics.agent.export.resource;

import java.util.Map;

/** The agent's resource providers by the names {@code export.disabled_resource_providers} takes. */
public final class ResourceProviders {

  private static final Map<String, Class<? extends DetectedResourceProvider>> BY_NAME = Map.of(
      "host", HostResourceProvider.class,
      "os", OsResourceProvider.class,
      "process", ProcessResourceProvider.class,
      "runtime", RuntimeResourceProvider.class,
      "container", ContainerResourceProvider.class);

  private ResourceProviders() {}

  /** The class name autoconfigure knows the provider by; null for an unknown name. */
  public static String className(String name) {
    Class<? extends DetectedResourceProvider> provider = BY_NAME.get(name);
    return provider == null ? null : provider.getName();
  }
}
