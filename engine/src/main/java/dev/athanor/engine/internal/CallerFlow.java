package dev.athanor.engine.internal;

/**
 * The flow of control a connection's operation was asked for in, named in the operation's Reactor
 * context under {@link #KEY} by whoever runs flows over one connection (a session: one per
 * operation it runs). An operation whose context names none belongs to the transaction block whose
 * work runs on the connection ({@code conn.begin(work)}), if any.
 *
 * <p>A connection refuses an operation while another caller waits for the one before it. A flow
 * whose caller was cancelled stops waiting only once the cancellation has reached its operation's
 * waiter, and a Reactor operator that is handing over between two steps on another thread can let
 * that happen after the cancelled caller has already gone on. Knowing the flow, the connection
 * tells such a waiter from a concurrent caller: an operation of another flow queues behind it
 * instead of being refused.
 */
public interface CallerFlow {
  /** The context key under which an operation's work carries its flow. */
  Object KEY = CallerFlow.class;

  /**
   * Returns whether this flow's caller has gone (was cancelled) and nothing of the flow runs any
   * more: its operations still in flight are abandoned ones.
   */
  boolean gone();

  /**
   * A new flow for a clean-up nobody awaits (the rollback of a cancelled block), gone from the
   * start: the connection's next operation queues behind it. One per clean-up, so that two
   * clean-ups queue behind each other too.
   */
  static CallerFlow cleanUp() {
    return new CallerFlow() {
      @Override
      public boolean gone() {
        return true;
      }
    };
  }
}
