package dev.usagemetrics.agent.weaving;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;

import dev.usagemetrics.agent.advice.AdviceClassFiles;
import dev.usagemetrics.agent.advice.QueueAdvice;
import dev.usagemetrics.agent.advice.QueueOperation;
import dev.usagemetrics.agent.bootstrap.UsageMetricsBridge;
import dev.usagemetrics.agent.config.QueueTarget;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.matcher.ElementMatcher;

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

  private final ElementMatcher.Junction<MethodDescription> enqueue;
  private final ElementMatcher.Junction<MethodDescription> dequeue;
  private final ElementMatcher.Junction<MethodDescription> bulk;
  private final ElementMatcher.Junction<MethodDescription> returnsCount =
      returns(int.class).or(returns(long.class));

  QueueMethods(QueueTarget target) {
    enqueue = bodyOf(target.enqueueMethodNames())
        .and(not(namedOneOf(BULK_METHODS.toArray(new String[0]))));
    dequeue = bodyOf(target.dequeueMethodNames())
        .and(not(namedOneOf(BULK_METHODS.toArray(new String[0]))));
    ElementMatcher.Junction<MethodDescription> configured =
        bodyOf(target.enqueueMethodNames()).or(bodyOf(target.dequeueMethodNames()));
    bulk = configured.and(namedOneOf(BULK_METHODS.toArray(new String[0]))
        .or(bodyOf(target.dequeueMethodNames()).and(returns(void.class))));
  }

  /**
   * The queue advice for every configured method a class declares; {@code sharedClass} when other,
   * unconfigured queues run this code too (see {@link UsageMetricsBridge#IN_SHARED_CLASS}).
   */
  AsmVisitorWrapper advice(boolean sharedClass) {
    int flag = sharedClass ? UsageMetricsBridge.IN_SHARED_CLASS : 0;
    return new AsmVisitorWrapper.Compound(
        advice(UsageMetricsBridge.ADDS_ONE | flag, enqueue),
        advice(UsageMetricsBridge.REMOVES_COUNT | flag, dequeue.and(returnsCount)),
        advice(UsageMetricsBridge.CHANGES_SIZE | flag, bulk),
        advice(
            UsageMetricsBridge.REMOVES_ONE | flag,
            dequeue.and(not(returnsCount)).and(not(returns(void.class)))));
  }

  /** Every configured method, whatever its kind. */
  ElementMatcher.Junction<MethodDescription> all() {
    return enqueue.or(dequeue).or(bulk);
  }

  /** Every configured name, with or without a body (for finding where an inherited one is declared). */
  static List<String> names(QueueTarget target) {
    List<String> names = new java.util.ArrayList<>(target.enqueueMethodNames());
    names.addAll(target.dequeueMethodNames());
    return names;
  }

  private static AsmVisitorWrapper advice(
      int kind, ElementMatcher<? super MethodDescription> methods) {
    // Bound as an int constant, not bind(type, Object): that path initialises ByteBuddy's
    // JavaConstant
    // support, six more proxy classes at startup.
    Advice.WithCustomMapping mapping = Advice.withCustomMapping()
        .bind(QueueOperation.class, IntegerConstant.forValue(kind), int.class);
    return AdviceClassFiles.of(mapping, QueueAdvice.class).on(methods);
  }

  static ElementMatcher.Junction<MethodDescription> bodyOf(List<String> names) {
    return isMethod()
        .and(namedOneOf(names.toArray(new String[0])))
        .and(not(isAbstract()))
        .and(not(isNative()))
        .and(not(isStatic()));
  }
}
