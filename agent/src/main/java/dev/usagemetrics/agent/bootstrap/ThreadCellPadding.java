package dev.usagemetrics.agent.bootstrap;

/**
 * A cache line of padding laid out before {@link ThreadCell}'s fields and its subclasses' (a
 * superclass's fields always come first). Every thread writes its own cell on each operation;
 * without the padding, cells the garbage collector copied next to each other would share a cache
 * line and the threads would invalidate each other's line on every operation (false sharing).
 */
abstract class ThreadCellPadding {
  long p1;
  long p2;
  long p3;
  long p4;
  long p5;
  long p6;
  long p7;
  long p8;
}
