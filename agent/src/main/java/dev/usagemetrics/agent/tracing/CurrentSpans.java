package dev.usagemetrics.agent.tracing;

import dev.usagemetrics.agent.log.AgentLog;
import io.opentelemetry.api.trace.Span;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The span current on the calling thread, as the tracing in this JVM sees it: the OpenTelemetry
 * Java agent's context when that agent runs (it also bridges the application's own API to it),
 * else the OpenTelemetry API as the calling class's loader sees it.
 *
 * <p>Nothing is loaded into the application: an API copy is read only once the JVM has defined its
 * {@code Span} class (the agent learns that from {@link TracingSightings}), and the OpenTelemetry
 * Java agent's bootstrap classes only once that agent has defined classes in the bootstrap
 * loader. Each calling class resolves its reader once ({@link ClassValue}: held by that class,
 * so nothing here keeps an application class or loader alive); a caller that saw no API is looked
 * at again after the next sighting. With no tracing in the JVM a lookup is one volatile read.
 */
public final class CurrentSpans {

  /** Built at run time: the agent's jar relocates string constants that start with the API's package. */
  static final String API_SPAN = String.join(".", "io", "opentelemetry", "api", "trace", "Span");

  static final String JAVAAGENT_BRIDGE =
      String.join(".", "io", "opentelemetry", "javaagent", "bootstrap", "Java8BytecodeBridge");

  private final Set<ClassLoader> apiLoaders =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private volatile boolean tracingSeen;
  private volatile boolean javaagentSeen;
  private volatile int sightings;
  private volatile SpanReader javaagentReader;
  private final ClassValue<Resolution> readers = new ClassValue<>() {
    @Override
    protected Resolution computeValue(Class<?> caller) {
      return resolve(caller);
    }
  };

  /** Starts watching for tracing in this JVM. */
  public static CurrentSpans watch(Instrumentation instrumentation) {
    CurrentSpans spans = new CurrentSpans();
    TracingSightings.watch(instrumentation, spans);
    return spans;
  }

  /**
   * Reads the agent's own copy of the API once, so the method-handle machinery a lookup uses is
   * loaded before advice needs it, not inside advice. Called where the SDK starts, which loads the
   * API's context classes anyway: in premain it cost about 40 ms (measured in a hello world).
   */
  public static void warmUp() {
    try {
      SpanReader.of(Span.class, "current").current();
    } catch (Throwable unexpected) {
      AgentLog.debug("span lookup warm-up failed: " + unexpected);
    }
  }

  /** Whether any tracing was seen in this JVM: when not, no call needs a lookup. */
  public boolean tracingSeen() {
    return tracingSeen;
  }

  /** The OpenTelemetry API's {@code Span} class was defined by {@code loader}. */
  void apiDefined(ClassLoader loader) {
    if (apiLoaders.add(loader)) {
      sighted();
    }
  }

  /** The OpenTelemetry Java agent defined classes in the bootstrap loader. */
  void javaagentDefined() {
    if (!javaagentSeen) {
      javaagentSeen = true;
      sighted();
    }
  }

  private synchronized void sighted() {
    sightings++;
    tracingSeen = true;
  }

  /**
   * The ids of the valid, sampled span current on this thread for a call from {@code caller}
   * (null when unknown), or null when there is none. Never throws.
   */
  public SpanIds current(Class<?> caller) {
    if (!tracingSeen) {
      return null;
    }
    try {
      if (javaagentSeen) {
        return javaagentReader().current();
      }
      if (caller == null) {
        return null;
      }
      Resolution resolution = readers.get(caller);
      if (resolution.reader == SpanReader.NONE && resolution.sightings != sightings) {
        readers.remove(caller);
        resolution = readers.get(caller);
      }
      return resolution.reader.current();
    } catch (Throwable problem) {
      AgentLog.warnOnce(
          "span-lookup:" + problem.getClass().getName(),
          "cannot read the current span, persist calls get no exemplars (the application is not affected): "
              + problem);
      return null;
    }
  }

  private SpanReader javaagentReader() throws ReflectiveOperationException {
    SpanReader reader = javaagentReader;
    if (reader == null) {
      // The OpenTelemetry Java agent put this class on the bootstrap path itself: loading it adds
      // nothing to the application.
      reader = SpanReader.of(Class.forName(JAVAAGENT_BRIDGE, false, null), "currentSpan");
      javaagentReader = reader;
    }
    return reader;
  }

  private Resolution resolve(Class<?> caller) {
    int seen = sightings;
    ClassLoader loader = caller.getClassLoader();
    while (true) {
      if (apiLoaders.contains(loader)) {
        try {
          // That loader defined the class already: this finds it, it loads nothing.
          return new Resolution(
              SpanReader.of(Class.forName(API_SPAN, false, loader), "current"), seen);
        } catch (ReflectiveOperationException | LinkageError unusable) {
          AgentLog.warnOnce(
              "span-api:" + loader,
              "the OpenTelemetry API seen by " + caller.getName()
                  + " cannot be read, its persist calls get no exemplars: " + unusable);
          return new Resolution(SpanReader.NONE, seen);
        }
      }
      if (loader == null) {
        return new Resolution(SpanReader.NONE, seen);
      }
      loader = loader.getParent();
    }
  }

  /** A calling class's reader, and the number of sightings when it was resolved. */
  private static final class Resolution {
    final SpanReader reader;
    final int sightings;

    Resolution(SpanReader reader, int sightings) {
      this.reader = reader;
      this.sightings = sightings;
    }
  }
}
