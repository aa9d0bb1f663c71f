package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.AttributesBuilder;

/** {@code process.runtime.name}, {@code process.runtime.version} and {@code process.runtime.description}. */
public final class RuntimeResourceProvider extends DetectedResourceProvider {

  @Override
  void detect(AttributesBuilder attributes) {
    putIfKnown(attributes, "process.runtime.name", System.getProperty("java.runtime.name"));
    putIfKnown(attributes, "process.runtime.version", System.getProperty("java.runtime.version"));
    String vm = String.join(
        " ",
        System.getProperty("java.vm.vendor", ""),
        System.getProperty("java.vm.name", ""),
        System.getProperty("java.vm.version", ""));
    putIfKnown(attributes, "process.runtime.description", vm.trim());
  }
}
