package dev.athanor.engine;

import dev.athanor.sql.IsolationLevel;
import reactor.core.publisher.Mono;

/**
 * How a connection gives its driver connection back when it closes: clean (rolled back, session
 * state put back, returned to the pool) or, when its state is unknown, discarded so that the pool
 * opens a new one. {@link Connection#close()} decides which, once every operation has ended.
 */
final class ConnectionRelease {
  private final Connection conn;

  ConnectionRelease(Connection conn) {
    this.conn = conn;
  }

  /** Returns a connection in an unknown state: the pool discards it rather than reuse it. */
  Mono<Void> discard() {
    return Mono.defer(() -> {
      conn.transactions().endAll(Transaction.End.ROLLED_BACK);
      return conn.closeUnderlying()
          .then(Mono.from(conn.raw().close()).onErrorResume(e -> Mono.empty()))
          .then(Mono.fromRunnable(conn::checkedIn));
    });
  }

  /** Rolls back what was not committed, puts the session back and returns the connection. */
  Mono<Void> release() {
    return Mono.defer(() -> {
      // A stream opened by an operation that was still in flight when close began.
      conn.runner().closeStream();
      Transaction t = conn.transactions().endAll(Transaction.End.CLOSED);
      TransactionControl control = conn.control();
      Mono<Void> rollback = Mono.empty();
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
      Mono<Void> reset =
          Mono.defer(() ->
              conn.isInvalidated()
                  ? Mono.empty()
                  : control.resetSession().onErrorResume(e -> conn.closeUnderlying()));
      return rollback
          .then(reset)
          .then(Mono.from(conn.raw().close()).onErrorResume(e -> Mono.empty()))
          .then(Mono.fromRunnable(conn::checkedIn));
    });
  }

  private boolean driverInTransaction() {
    try {
      return !conn.raw().isAutoCommit();
    } catch (RuntimeException e) {
      return true;
    }
  }
}
