package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.usagemetrics.agent.export.resource.InstanceIdResourceProvider;
import io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceProvidersTest {

  private final ClassLoader classLoader = ServiceProvidersTest.class.getClassLoader();

  @Test
  void theSdksInstanceIdProviderIsExchangedForTheAgentsInItsPlace() {
    List<String> expected = new ArrayList<>();
    ServiceLoader.load(ResourceProvider.class, classLoader).stream()
        .map(ServiceLoader.Provider::type)
        .forEach(type -> expected.add(
            type == ServiceInstanceIdResourceProvider.class
                ? InstanceIdResourceProvider.class.getName()
                : type.getName()));

    assertEquals(expected, names(new ServiceProviders(classLoader).load(ResourceProvider.class)));
  }

  @Test
  void otherServicesAreFoundAsTheServiceLoaderFindsThem() {
    assertEquals(
        names(ServiceLoader.load(ConfigurableMetricExporterProvider.class, classLoader)),
        names(new ServiceProviders(classLoader).load(ConfigurableMetricExporterProvider.class)));
  }

  private static List<String> names(Iterable<?> providers) {
    List<String> names = new ArrayList<>();
    providers.forEach(provider -> names.add(provider.getClass().getName()));
    return names;
  }
}
