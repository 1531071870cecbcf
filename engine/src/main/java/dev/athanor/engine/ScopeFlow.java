package dev.athanor.engine;

import dev.athanor.engine.internal.CallerFlow;
import org.jspecify.annotations.Nullable;

/**
 * The flow of a transaction block's work ({@link Connection#begin(java.util.function.Function)},
 * {@code beginNested(work)}), set on its connection while the work runs, so that the connection's
 * operations asked for without a flow in their context (the Java face's, each awaited by a future
 * of its own) belong to it.
 *
 * <p>When the block is cancelled, its flow has gone: an operation of its work that a future still
 * awaits no longer makes the block's rollback look like a second caller. The rollback queues behind
 * it, as behind any abandoned operation, instead of being refused and leaving the transaction open.
 */
final class ScopeFlow implements CallerFlow {
  private final Connection conn;
  private volatile @Nullable ScopeFlow previous;
  private volatile boolean gone;
  private volatile boolean entered;

  ScopeFlow(Connection conn) {
    this.conn = conn;
  }

  @Override
  public boolean gone() {
    return gone;
  }

  /** The block's work starts: the connection's operations belong to this flow from now on. */
  void enter() {
    previous = conn.scopeFlow(this);
    entered = true;
  }

  /**
   * The block ends ({@code cancelled}: its caller has gone). Its connection goes back to the flow
   * that was there before, skipping flows that have gone meanwhile (an enclosing block cancelled
   * while this one still ran).
   */
  void exit(boolean cancelled) {
    if (cancelled) {
      gone = true;
    }
    if (entered) {
      ScopeFlow back = previous;
      while (back != null && back.gone) {
        back = back.previous;
      }
      conn.restoreScopeFlow(this, back);
    }
  }

  /**
   * The flow of a cancelled block's clean-up (its rollback), gone from the start: its caller, the
   * block, has gone, so the connection's next operation queues behind it. One per clean-up, so that
   * two clean-ups (a savepoint's and its transaction's) queue behind each other too.
   */
  static final class CleanUp implements CallerFlow {
    @Override
    public boolean gone() {
      return true;
    }
  }
}
