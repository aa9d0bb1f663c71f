package dev.usagemetrics.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MetricsExportTest {

  @Test
  void instanceIdsAreDistinctVersion4Uuids() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String id = MetricsExport.randomInstanceId();
      UUID parsed = UUID.fromString(id);
      assertEquals(4, parsed.version(), id);
      assertEquals(2, parsed.variant(), id);
      ids.add(id);
    }
    assertEquals(10_000, ids.size());
  }
}
