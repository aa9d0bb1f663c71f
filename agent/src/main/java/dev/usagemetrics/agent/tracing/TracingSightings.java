package dev.usagemetrics.agent.tracing;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Tells {@link CurrentSpans} when the JVM defines the OpenTelemetry API's {@code Span} class (in
 * any loader) or the OpenTelemetry Java agent defines its classes in the bootstrap loader. A
 * transformer that never transforms: it only compares the name of each class being defined.
 * Classes defined before it was registered are found once in the loaded classes.
 */
public final class TracingSightings implements ClassFileTransformer {

  private static final String API_SPAN = CurrentSpans.API_SPAN.replace('.', '/');
  private static final String JAVAAGENT_PACKAGES =
      String.join("/", "io", "opentelemetry", "javaagent", "");

  private final CurrentSpans spans;

  TracingSightings(CurrentSpans spans) {
    this.spans = spans;
  }

  /** Starts watching for {@code spans}, and reports what is loaded already. */
  public static void watch(Instrumentation instrumentation, CurrentSpans spans) {
    TracingSightings sightings = new TracingSightings(spans);
    instrumentation.addTransformer(sightings, false);
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      sightings.defined(loaded.getClassLoader(), loaded.getName().replace('.', '/'));
    }
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classfileBuffer) {
    if (className != null) {
      defined(loader, className);
    }
    return null;
  }

  void defined(ClassLoader loader, String internalName) {
    if (loader == null && internalName.startsWith(JAVAAGENT_PACKAGES)) {
      spans.javaagentDefined();
    } else if (internalName.equals(API_SPAN)) {
      spans.apiDefined(loader);
    }
  }
}
