package dev.usagemetrics.bench;

/**
 * One JMH result: the score (ns/op, wall time), the allocation per operation (B/op) and the CPU
 * time per operation (ns/op; NaN where the benchmark does not count it), each with its error
 * (half-width of a 99.9% confidence interval).
 */
record Measurement(Estimate time, Estimate allocation, Estimate cpuTime) {}
