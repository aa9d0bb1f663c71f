package dev.usagemetrics.bench;

/**
 * One JMH result: the score (ns/op) and the allocation per operation (B/op), each with its error
 * (half-width of JMH's 99.9% confidence interval).
 */
record Measurement(Estimate time, Estimate allocation) {}
