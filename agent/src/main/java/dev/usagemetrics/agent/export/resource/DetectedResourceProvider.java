package dev.usagemetrics.agent.export.resource;

import dev.usagemetrics.agent.log.AgentLog;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.resources.Resource;

/**
 * A resource provider of the agent's own, found by autoconfigure through {@code META-INF/services}:
 * so {@code otel.java.disabled.resource.providers} ({@code OTEL_JAVA_DISABLED_RESOURCE_PROVIDERS})
 * and {@code otel.java.enabled.resource.providers} name them by class like any other, and
 * {@code OTEL_RESOURCE_ATTRIBUTES} overrides what they detect (autoconfigure applies it last).
 *
 * <p>Detection reads system properties and small files only, never the network: it runs while
 * the SDK starts. A provider that fails contributes nothing and says so once; export goes on.
 */
public abstract class DetectedResourceProvider implements ResourceProvider {

  @Override
  public final Resource createResource(ConfigProperties config) {
    AttributesBuilder attributes = Attributes.builder();
    try {
      detect(attributes);
    } catch (RuntimeException | LinkageError e) {
      AgentLog.warn(getClass().getSimpleName()
          + " could not detect its resource attributes, which are left out: " + e);
      return Resource.empty();
    }
    return Resource.create(attributes.build());
  }

  /** Puts what this provider knows; leaves out what it cannot tell. */
  abstract void detect(AttributesBuilder attributes);

  /** Puts {@code value} unless it is null or blank. */
  static void putIfKnown(AttributesBuilder attributes, String key, String value) {
    if (value != null && !value.isBlank()) {
      attributes.put(key, value);
    }
  }
}
