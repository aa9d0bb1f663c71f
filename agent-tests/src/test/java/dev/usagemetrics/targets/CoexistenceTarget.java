package dev.usagemetrics.targets;

import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Path;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.implementation.SuperMethodCall;
import net.bytebuddy.matcher.ElementMatchers;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * An application bundling its own ByteBuddy, OpenTelemetry SDK and SnakeYAML Engine, of other
 * versions than the agent's, and really using them: it reads its plan from YAML, generates a
 * subclass of its persist target with ByteBuddy (overriding {@code persist} with a {@code super}
 * call), and counts its records with its own OpenTelemetry SDK. Prints
 * {@code COEXIST persisted= generated_calls= own_counter= generated_describe=} (the last 1 when the
 * generated class answered as generated), and {@code COEXIST-JARS} with the jar each library came
 * from.
 */
public final class CoexistenceTarget {

  /** Configured persist target, method [persist]. */
  public static class Store {
    private long stored;

    public void persist(Object record) {
      stored++;
    }

    public String describe() {
      return "plain";
    }
  }

  private static final String PLAN = "calls: 40\ngenerated_calls: 25\n";

  private CoexistenceTarget() {}

  public static void main(String[] args) throws Exception {
    Map<?, ?> plan = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(PLAN);
    int calls = ((Number) plan.get("calls")).intValue();
    int generatedCalls = ((Number) plan.get("generated_calls")).intValue();

    // Pinned class-file version: this ByteBuddy predates the newest JDKs the test runs on.
    Class<? extends Store> generatedType = new ByteBuddy(ClassFileVersion.JAVA_V11)
        .subclass(Store.class)
        .method(ElementMatchers.named("persist"))
        .intercept(SuperMethodCall.INSTANCE)
        .method(ElementMatchers.named("describe"))
        .intercept(FixedValue.value("generated"))
        .make()
        .load(CoexistenceTarget.class.getClassLoader())
        .getLoaded();
    Store generated = generatedType.getDeclaredConstructor().newInstance();

    InMemoryMetricReader reader = InMemoryMetricReader.create();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder().registerMetricReader(reader).build();
    LongCounter records = meterProvider
        .get("coexistence-target")
        .counterBuilder("app.records.persisted")
        .build();

    Store plain = new Store();
    for (int i = 0; i < calls; i++) {
      Store store = i < generatedCalls ? generated : plain;
      store.persist(i);
      records.add(1);
    }
    long ownCounter = 0;
    for (MetricData metric : reader.collectAllMetrics()) {
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        ownCounter += point.getValue();
      }
    }
    meterProvider.close();

    System.out.println("COEXIST persisted=" + calls + " generated_calls=" + generatedCalls
        + " own_counter=" + ownCounter + " generated_describe="
        + ("generated".equals(generated.describe()) ? 1 : 0));
    System.out.println("COEXIST-JARS bytebuddy=" + jarOf(ByteBuddy.class) + " opentelemetry="
        + jarOf(SdkMeterProvider.class) + " snakeyaml=" + jarOf(Load.class));
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
