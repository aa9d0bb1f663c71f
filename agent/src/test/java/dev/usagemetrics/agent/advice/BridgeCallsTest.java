package dev.usagemetrics.agent.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.agent.bootstrap.QueueCell;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;

/** The bridge as the woven code names it (by strings) is the bridge as it is. */
class BridgeCallsTest {

  @Test
  void everyCalledMethodExistsWithThatDescriptor() {
    Map<String, String> called = Map.of(
        "persistDepth", BridgeCalls.PERSIST_DEPTH,
        "enterPersist", BridgeCalls.ENTER_PERSIST,
        "exitPersist", BridgeCalls.EXIT_PERSIST,
        "exitAsyncPersist", BridgeCalls.EXIT_ASYNC_PERSIST,
        "queueCell", BridgeCalls.QUEUE_CELL_OF,
        "enterQueueOperation", BridgeCalls.ENTER_QUEUE_OPERATION,
        "exitQueueOperation", BridgeCalls.EXIT_QUEUE_OPERATION);
    assertEquals(Type.getInternalName(UsageMetricsBridge.class), BridgeCalls.BRIDGE);
    assertEquals(Type.getInternalName(QueueCell.class), BridgeCalls.QUEUE_CELL);
    called.forEach((name, descriptor) -> {
      Method method = methodNamed(name);
      assertEquals(descriptor, Type.getMethodDescriptor(method), name);
      assertTrue(
          Modifier.isStatic(method.getModifiers()) && Modifier.isPublic(method.getModifiers()),
          name);
    });
  }

  private static Method methodNamed(String name) {
    Method found = null;
    for (Method method : UsageMetricsBridge.class.getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        assertEquals(null, found, "one method named " + name);
        found = method;
      }
    }
    assertTrue(found != null, "the bridge has " + name);
    return found;
  }
}
