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
  /** The same two names in binary form, to look at loaded classes without converting each name. */
  private static final String API_SPAN_BINARY = CurrentSpans.API_SPAN;

  private static final String JAVAAGENT_PACKAGES_BINARY = JAVAAGENT_PACKAGES.replace('/', '.');

  private final CurrentSpans spans;

  TracingSightings(CurrentSpans spans) {
    this.spans = spans;
  }

  /** Starts watching for {@code spans}, and reports what is loaded already. */
  public static void watch(Instrumentation instrumentation, CurrentSpans spans) {
    TracingSightings sightings = new TracingSightings(spans);
    instrumentation.addTransformer(sightings, false);
    for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
      sightings.seen(
          loaded.getClassLoader(), loaded.getName(), API_SPAN_BINARY, JAVAAGENT_PACKAGES_BINARY);
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
    seen(loader, internalName, API_SPAN, JAVAAGENT_PACKAGES);
  }

  /** {@code name}, {@code apiSpan} and {@code javaagentPackages} all in one form, internal or binary. */
  private void seen(ClassLoader loader, String name, String apiSpan, String javaagentPackages) {
    if (loader == null && name.startsWith(javaagentPackages)) {
      spans.javaagentDefined();
    } else if (name.equals(apiSpan)) {
      spans.apiDefined(loader);
    }
  }
}
