package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.config.QueueTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Decides what each configured queue method does to the queue's size, from its configured role
 * (enqueue or dequeue), its name and its return type:
 *
 * <ul>
 *   <li>enqueue methods add one element unless they return {@code false};
 *   <li>dequeue methods returning {@code int}/{@code long} remove that many ({@code drainTo});
 *   <li>void dequeue methods and the bulk methods ({@link #BULK_METHODS}) change the size by any
 *       amount, measured as size after minus size before (the queue must be a Collection);
 *   <li>other dequeue methods remove one element when they return one, or {@code true}.
 * </ul>
 */
final class QueueMethods {

  /** Methods whose boolean result says "changed", not "one element": measured by size. */
  static final Set<String> BULK_METHODS =
      Set.of("clear", "removeIf", "removeAll", "retainAll", "addAll");

  /** No configured queue method: not instrumented. */
  static final int NONE = 0;

  private final Set<String> enqueue;
  private final Set<String> dequeue;

  QueueMethods(QueueTarget target) {
    enqueue = Set.copyOf(target.enqueueMethodNames());
    dequeue = Set.copyOf(target.dequeueMethodNames());
  }

  /**
   * The queue operation kind of {@code method} ({@code UsageMetricsBridge.ADDS_ONE} ...), or
   * {@link #NONE} for a method that is not a configured one with a body.
   */
  int kindOf(ClassOutline.MethodOutline method) {
    String name = method.name();
    if (!method.isInstanceMethodWithBody() || !(enqueue.contains(name) || dequeue.contains(name))) {
      return NONE;
    }
    if (BULK_METHODS.contains(name)) {
      return UsageMetricsBridge.CHANGES_SIZE;
    }
    if (enqueue.contains(name)) {
      return UsageMetricsBridge.ADDS_ONE;
    }
    switch (Type.getReturnType(method.descriptor()).getSort()) {
      case Type.VOID:
        return UsageMetricsBridge.CHANGES_SIZE;
      case Type.INT:
      case Type.LONG:
        return UsageMetricsBridge.REMOVES_COUNT;
      default:
        return UsageMetricsBridge.REMOVES_ONE;
    }
  }

  /** True for a configured method that a subclass can inherit and gets no bridge method for. */
  boolean isInheritable(ClassOutline.MethodOutline method) {
    return kindOf(method) != NONE
        && !method.is(Opcodes.ACC_SYNTHETIC)
        && !method.is(Opcodes.ACC_FINAL);
  }

  /** Every configured name, with or without a body (for finding where an inherited one is declared). */
  static List<String> names(QueueTarget target) {
    List<String> names = new ArrayList<>(target.enqueueMethodNames());
    names.addAll(target.dequeueMethodNames());
    return names;
  }
}
