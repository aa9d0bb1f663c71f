package dev.usagemetrics.agent.advice;

/**
 * Where the woven code keeps its values in one method: local variable slots the method's own code
 * never uses, and the class the method belongs to.
 */
public final class AdviceLocals {

  private final String owner;
  private final int receiver;
  private final int context;
  private final int state;
  private final int value;

  /**
   * {@code owner}: internal name of the class being woven; {@code firstFreeSlot}: the method's own
   * number of local variable slots, after which the advice's follow: the receiver ({@code this},
   * copied on entry: the method's code may reuse slot 0), the context, a two-slot state, and the
   * returned or thrown value.
   */
  public AdviceLocals(String owner, int firstFreeSlot) {
    this.owner = owner;
    this.receiver = firstFreeSlot;
    this.context = firstFreeSlot + 1;
    this.state = firstFreeSlot + 2;
    this.value = firstFreeSlot + 4;
  }

  public String owner() {
    return owner;
  }

  /** The instance the method was called on. */
  public int receiver() {
    return receiver;
  }

  public int context() {
    return context;
  }

  /** Two slots: a {@code long}. */
  public int state() {
    return state;
  }

  public int value() {
    return value;
  }
}
