package dev.usagemetrics.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds the kind of queue operation ({@code UsageMetricsBridge.ADDS_ONE}, {@code REMOVES_ONE},
 * {@code REMOVES_COUNT}, {@code CHANGES_SIZE}) into {@link QueueAdvice} as a constant chosen per
 * instrumented method.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface QueueOperation {}
