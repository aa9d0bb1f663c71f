package dev.usagemetrics.agent.export.resource;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.common.internal.SemConvConstants;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.internal.Entity;
import io.opentelemetry.sdk.resources.internal.EntityUtil;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code service.instance.id}: the resource of the SDK's own {@code ServiceInstanceIdResourceProvider}
 * (a {@code service.instance} entity, applied first so that anything else naming an id wins), with
 * the id drawn without {@link UUID#randomUUID()}. That one sets up and seeds a {@code SecureRandom}
 * while the SDK starts (measured in a cold JVM: 7 ms once the security providers are loaded, which
 * the HTTP client does anyway, 30-45 ms before), a cost an identifier that only has to be unique
 * among the service's JVMs does not need. The agent's SDK uses it in place of the SDK's
 * ({@code dev.usagemetrics.agent.export.ServiceProviders}).
 */
public final class InstanceIdResourceProvider implements ResourceProvider {

  private static final Resource RANDOM = EntityUtil.createResource(List.of(Entity.builder(
          SemConvConstants.SERVICE_INSTANCE_TYPE,
          Attributes.of(SemConvConstants.SERVICE_INSTANCE_ID, randomInstanceId()))
      .setSchemaUrl(SemConvConstants.SCHEMA_URL_V1_40_0)
      .build()));

  @Override
  public Resource createResource(ConfigProperties config) {
    return RANDOM;
  }

  @Override
  public int order() {
    return Integer.MIN_VALUE;
  }

  /** A random (version 4) UUID, from {@link ThreadLocalRandom}. */
  public static String randomInstanceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(high, low).toString();
  }
}
