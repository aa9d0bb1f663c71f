package dev.usagemetrics.agent.bootstrap;

import java.lang.ref.WeakReference;

/**
 * A cell that one thread, its owner, alone writes: what {@link ThreadCells} registers, finds by the
 * owner's id and folds once the owner has ended. Subclasses add what the owner records.
 */
public abstract class ThreadCell extends ThreadCellPadding {

  /** Weak: the agent never keeps a thread (or the class loaders it references) alive. */
  private final WeakReference<Thread> owner;

  /** The owner's id: thread ids are never reused, so a match means the owner (final: safely published). */
  final long ownerId;

  protected ThreadCell(Thread owner) {
    this.owner = new WeakReference<>(owner);
    this.ownerId = owner.getId();
  }

  /**
   * True once the owner has ended. Seeing {@code isAlive()} return false happens-after everything
   * the thread did (JLS 17.4.4), so what its cell holds is final. A cleared reference means the
   * thread ended earlier and was collected (a live thread is always reachable).
   */
  final boolean ownerEnded() {
    Thread thread = owner.get();
    return thread == null || !thread.isAlive();
  }
}
