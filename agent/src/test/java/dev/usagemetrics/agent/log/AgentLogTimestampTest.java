package dev.usagemetrics.agent.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class AgentLogTimestampTest {

  @Test
  void timestampsReadAsInstantToStringDoes() {
    long[][] instants = {
      {0, 0},
      {1_796_422_122, 0},
      {1_796_422_080, 0},
      {1_796_422_122, 1},
      {1_796_422_122, 100_000_000},
      {1_796_422_122, 120_000},
      {1_796_422_122, 221_985_482},
      {951_782_400, 999_999_999},
      {-1, 5_000_000},
      {253_402_300_799L, 1_000},
      {253_402_300_800L, 0},
      {-62_167_219_201L, 0}
    };
    for (long[] instant : instants) {
      Instant time = Instant.ofEpochSecond(instant[0], instant[1]);
      assertEquals(time.toString(), AgentLog.timestamp(time));
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < 10_000; i++) {
      Instant time = Instant.ofEpochSecond(
          random.nextLong(0, 253_402_300_800L), random.nextInt(1_000_000_000));
      assertEquals(time.toString(), AgentLog.timestamp(time));
    }
  }
}
