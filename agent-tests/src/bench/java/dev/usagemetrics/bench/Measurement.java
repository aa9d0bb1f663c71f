package dev.usagemetrics.bench;

/**
 * One JMH result: the score (ns/op, wall time), the allocation per operation (B/op), the CPU time
 * per operation (ns/op) and, for {@link PairedThrowingBenchmark}, what the configured call took
 * more than its unconfigured twin (ns per pair); each with its error (half-width of a 99.9%
 * confidence interval), NaN where the benchmark does not count it.
 */
record Measurement(Estimate time, Estimate allocation, Estimate cpuTime, Estimate pairDifference) {}
