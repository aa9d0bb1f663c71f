package dev.usagemetrics.targets.spring;

import java.util.concurrent.LinkedBlockingQueue;

/** A configured queue target: records waiting to be persisted. Inherits offer and poll from the JDK. */
public final class PendingUsageQueue extends LinkedBlockingQueue<UsageRecord> {
  private static final long serialVersionUID = 1L;
}
