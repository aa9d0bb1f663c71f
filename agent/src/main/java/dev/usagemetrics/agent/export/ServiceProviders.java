package dev.usagemetrics.agent.export;

import dev.usagemetrics.agent.export.resource.InstanceIdResourceProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The service providers autoconfigure finds in the agent jar ({@code META-INF/services}), with one
 * exchanged: {@link InstanceIdResourceProvider} stands in for the SDK's
 * {@link ServiceInstanceIdResourceProvider}, which is never instantiated (its class initializer
 * draws its id from {@code SecureRandom}).
 */
final class ServiceProviders implements ComponentLoader {

  private final ClassLoader classLoader;

  ServiceProviders(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public <T> Iterable<T> load(Class<T> service) {
    ServiceLoader<T> loader = ServiceLoader.load(service, classLoader);
    if (service != ResourceProvider.class) {
      return loader;
    }
    List<T> providers = new ArrayList<>();
    for (Iterator<ServiceLoader.Provider<T>> found = loader.stream().iterator();
        found.hasNext(); ) {
      ServiceLoader.Provider<T> provider = found.next();
      providers.add(
          provider.type() == ServiceInstanceIdResourceProvider.class
              ? service.cast(new InstanceIdResourceProvider())
              : provider.get());
    }
    return providers;
  }
}
