package dev.athanor.engine;

import dev.athanor.engine.internal.CallerFlow;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.Loggers;

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
  private final BlockClaim<Transaction> claim = new BlockClaim<>();
  private volatile boolean gone;

  /** The flow of the enclosing block, if any, when this block's work started; guarded by this. */
  private @Nullable ScopeFlow previous;

  /** The block's transaction, once its work started; guarded by this. */
  private @Nullable Transaction transaction;

  /** Whether the block's end (its commit, or a rollback) was started; guarded by this. */
  private boolean cleaned;

  ScopeFlow(Connection conn) {
    this.conn = conn;
  }

  @Override
  public boolean gone() {
    return gone;
  }

  /** The block's claim on the transaction its begin starts. */
  BlockClaim<Transaction> claim() {
    return claim;
  }

  /**
   * The block's work starts: the connection's operations belong to this flow from now on. Returns
   * false if the block was cancelled as its begin answered: its rollback is queued, the work must
   * not run.
   */
  synchronized boolean enter(Transaction t) {
    if (cleaned) {
      return false;
    }
    transaction = t;
    previous = conn.scopeFlow(this);
    return true;
  }

  /** Returns whether the block's work started. */
  synchronized boolean entered() {
    return transaction != null;
  }

  /**
   * The block's caller cancelled, on the caller's thread: the flow has gone, and {@code cleanUp}
   * (the rollback) of the transaction begun for it is started now, so that it is queued on the
   * connection before the caller's next statement. A begin that has not answered yet ends what it
   * began itself (see {@link BlockClaim}).
   */
  void cancelNow(java.util.function.Function<Transaction, Mono<Void>> cleanUp) {
    Transaction t;
    synchronized (this) {
      if (cleaned) {
        return;
      }
      cleaned = true;
      t = transaction;
    }
    exit(true);
    if (t == null) {
      t = claim.leave();
      if (t == null) {
        return;
      }
    }
    cleanUp
        .apply(t)
        .subscribe(
            v -> {},
            e ->
                Loggers.getLogger(ScopeFlow.class)
                    .warn("The rollback of a cancelled transaction block failed", e));
  }

  /**
   * The block's work ended (completed or failed) and its commit or rollback is about to start:
   * returns false if a cancellation started the rollback first (nothing more to do), else true, and
   * a cancellation from now on leaves the end to run.
   */
  boolean finish() {
    return claimEnd(false);
  }

  /**
   * usingWhen's cancel path: returns whether {@link #cancelNow} started the clean-up already;
   * otherwise the flow has gone now and the caller starts it.
   */
  boolean cancelled() {
    return !claimEnd(true);
  }

  /** Takes the block's end for the caller; false if its end was taken before. */
  private boolean claimEnd(boolean cancelled) {
    synchronized (this) {
      if (cleaned) {
        return false;
      }
      cleaned = true;
    }
    exit(cancelled);
    return true;
  }

  /**
   * The block ends ({@code cancelled}: its caller has gone). Its connection goes back to the flow
   * that was there before, skipping flows that have gone meanwhile (an enclosing block cancelled
   * while this one still ran).
   */
  private void exit(boolean cancelled) {
    if (cancelled) {
      gone = true;
    }
    synchronized (this) {
      if (transaction == null) {
        return; // the work never started: the connection's flow was never this one
      }
      ScopeFlow back = previous;
      while (back != null && back.gone) {
        back = back.previous();
      }
      conn.restoreScopeFlow(this, back);
    }
  }

  private synchronized @Nullable ScopeFlow previous() {
    return previous;
  }
}
