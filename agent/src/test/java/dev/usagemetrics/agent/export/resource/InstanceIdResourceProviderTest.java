package dev.usagemetrics.agent.export.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.common.internal.SemConvConstants;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.internal.Entity;
import io.opentelemetry.sdk.resources.internal.EntityUtil;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InstanceIdResourceProviderTest {

  @Test
  void instanceIdsAreDistinctVersion4Uuids() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = InstanceIdResourceProvider.randomInstanceId();
      UUID parsed = UUID.fromString(id);
      assertEquals(4, parsed.version(), id);
      assertEquals(2, parsed.variant(), id);
      ids.add(id);
    }
    assertEquals(10_000, ids.size());
  }

  /** It stands in for the SDK's provider: the same resource but for the id's value, in the same place. */
  @Test
  void givesTheResourceOfTheSdksProviderWithAnIdOfItsOwn() {
    ResourceProvider sdks = new ServiceInstanceIdResourceProvider();
    ResourceProvider ours = new InstanceIdResourceProvider();
    Resource expected = sdks.createResource(null);
    Resource actual = ours.createResource(null);

    assertEquals(sdks.order(), ours.order());
    assertEquals(expected.getSchemaUrl(), actual.getSchemaUrl());
    assertEquals(
        Set.copyOf(expected.getAttributes().asMap().keySet()),
        Set.copyOf(actual.getAttributes().asMap().keySet()));
    assertEquals(describe(expected), describe(actual));
    String id = actual.getAttribute(SemConvConstants.SERVICE_INSTANCE_ID);
    assertEquals(4, UUID.fromString(id).version());
    assertNotEquals(expected.getAttribute(SemConvConstants.SERVICE_INSTANCE_ID), id);
    assertEquals(id, ours.createResource(null).getAttribute(SemConvConstants.SERVICE_INSTANCE_ID));
  }

  /** Each entity's type, schema and attribute keys. */
  private static List<String> describe(Resource resource) {
    List<String> entities = new ArrayList<>();
    for (Entity entity : EntityUtil.getEntities(resource)) {
      entities.add(entity.getType() + " " + entity.getSchemaUrl() + " "
          + Set.copyOf(entity.getId().asMap().keySet()) + " "
          + Set.copyOf(entity.getDescription().asMap().keySet()));
    }
    return entities;
  }
}
