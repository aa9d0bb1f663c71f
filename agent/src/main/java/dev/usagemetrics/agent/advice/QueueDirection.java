package dev.usagemetrics.agent.advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds {@link dev.usagemetrics.agent.bootstrap.UsageMetricsBridge#ENQUEUE} or {@code DEQUEUE} into
 * {@link QueueAdvice} for the method being instrumented.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface QueueDirection {}
