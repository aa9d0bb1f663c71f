package dev.usagemetrics.bench;

/** Heap and metaspace used after startup and a full GC, and the number of loaded classes (medians). */
record Footprint(
    double heapBytes, double metaspaceBytes, double totalBytes, double loadedClasses) {}
