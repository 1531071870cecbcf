package dev.athanor.engine;

import dev.athanor.sql.IsolationLevel;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * How a connection gives its driver connection back when it closes: clean (rolled back, session
 * state put back, returned to the pool) or, when its state is unknown, discarded so that the pool
 * opens a new one. {@link Connection#close()} starts it once every operation has ended; it runs to
 * its end whether or not anyone waits, and is the outcome the callers of {@code close()} wait for
 * (always empty: a close does not fail, a connection it cannot return is discarded).
 */
final class ConnectionRelease extends Outcome<Void> implements CoreSubscriber<Object> {
  private final Connection conn;

  /** Running the work before the pool's close (its errors are handled by {@link #failed}). */
  private static final int WORK = 0;

  /** Running the pool's close, the last step (its errors are only noted). */
  private static final int CLOSE = 1;

  private volatile int stage;

  /** Whether a failure of the work means the connection must be discarded. */
  private volatile boolean discardOnFailure;

  ConnectionRelease(Connection conn) {
    this.conn = conn;
  }

  /**
   * Starts the release, after {@code wait} (the operations still in flight; {@code null}: none)
   * completes with whether they ended in time.
   */
  void start(@Nullable Mono<Boolean> wait) {
    if (wait == null) {
      release();
      return;
    }
    wait.subscribe(
        clean -> {
          if (clean) {
            release();
          } else {
            discard();
          }
        },
        e -> discard());
  }

  /** Rolls back what was not committed, puts the session back and returns the connection. */
  private void release() {
    Mono<Void> work;
    try {
      work = releaseWork();
    } catch (RuntimeException e) {
      discard();
      return;
    }
    if (work == null) {
      // The usual close: nothing to roll back (or a ROLLBACK the pool's next user queues behind),
      // nothing to put back; the driver connection goes straight back to the pool.
      closeRaw();
    } else {
      stage = WORK;
      discardOnFailure = true;
      work.subscribe(this);
    }
  }

  private void closeRaw() {
    stage = CLOSE;
    conn.raw().close().subscribe(this);
  }

  /** The work before the pool's close, or {@code null} when there is none. */
  private @Nullable Mono<Void> releaseWork() {
    // A stream opened by an operation that was still in flight when close began.
    conn.runner().closeStream();
    Transaction t = conn.transactions().endAll(Transaction.End.CLOSED);
    TransactionControl control = conn.control();
    Mono<Void> rollback = null;
    boolean begun = !control.dropPendingBegin();
    boolean autocommit = conn.isolation() == IsolationLevel.AUTOCOMMIT;
    boolean ours = t != null && begun && !autocommit;
    // The driver's own view as well: whatever path left the server in a transaction (the
    // operations before this one have all ended, so that view is current), it ends here.
    if (!conn.isInvalidated() && (ours || driverInTransaction())) {
      if (t != null && !autocommit) {
        conn.fire(EngineListener::onRollback, conn);
      }
      conn.echo("ROLLBACK (on close)", null);
      rollback = control.rollbackOnRelease();
    }
    if (rollback == null && (conn.isInvalidated() || !control.needsReset())) {
      return null;
    }
    Mono<Void> reset =
        Mono.defer(() ->
            conn.isInvalidated()
                ? Mono.empty()
                : control.resetSession().onErrorResume(e -> conn.closeUnderlying()));
    return rollback == null ? reset : rollback.then(reset);
  }

  /** Returns a connection in an unknown state: the pool discards it rather than reuse it. */
  private void discard() {
    stage = WORK;
    discardOnFailure = false;
    try {
      conn.transactions().endAll(Transaction.End.ROLLED_BACK);
    } finally {
      conn.closeUnderlying().subscribe(this);
    }
  }

  private boolean driverInTransaction() {
    try {
      return !conn.raw().isAutoCommit();
    } catch (RuntimeException e) {
      return true;
    }
  }

  @Override
  public void onSubscribe(Subscription s) {
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(Object ignored) {}

  @Override
  public void onError(Throwable e) {
    if (stage == CLOSE) {
      ended(); // the pool's own close failed: nothing more to do with this driver connection
    } else if (discardOnFailure) {
      discard();
    } else {
      closeRaw();
    }
  }

  @Override
  public void onComplete() {
    if (stage == CLOSE) {
      ended();
    } else {
      closeRaw();
    }
  }

  private void ended() {
    if (!isSet()) {
      conn.checkedIn();
      emitEmpty();
    }
  }
}
