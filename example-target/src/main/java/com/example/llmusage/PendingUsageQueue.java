package com.example.llmusage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Bounded backlog of records accepted from callers but not yet persisted.
 *
 * <p>Bounded on purpose: when persistence falls behind, callers are told so ({@code offer}
 * returns false) instead of the backlog growing until the heap is gone.
 */
public final class PendingUsageQueue {
  private final BlockingQueue<UsageRecord> records;
  private final int capacity;

  public PendingUsageQueue(int capacity) {
    this.records = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
  }

  /** Adds the record unless the backlog is full; never blocks. */
  public boolean offer(UsageRecord r) {
    return records.offer(r);
  }

  /** Next record, or null if none arrived within the timeout. */
  public UsageRecord poll(long timeout, TimeUnit unit) throws InterruptedException {
    return records.poll(timeout, unit);
  }

  public int size() {
    return records.size();
  }

  public int capacity() {
    return capacity;
  }
}
