package dev.athanor.engine;

import dev.athanor.engine.internal.CallerFlow;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Result;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.IsolationLevel;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * How a connection begins and ends its transaction and savepoints: autobegin, the deferred BEGIN
 * that the first statement carries, savepoints, and commit or rollback with their events. The
 * bookkeeping lives in a {@link TransactionStack}, the dialect's statements in a {@link
 * TransactionControl}; the {@link Connection} checks that it is usable and serializes the calls.
 */
final class ConnectionTransactions {
  private final Connection conn;
  private final TransactionStack tx;
  private final TransactionControl control;
  private final StatementRunner runner;

  ConnectionTransactions(
      Connection conn, TransactionStack tx, TransactionControl control, StatementRunner runner) {
    this.conn = conn;
    this.tx = tx;
    this.control = control;
    this.runner = runner;
  }

  /** Begins the outermost transaction; fails if one is in progress. */
  Mono<Transaction> begin() {
    if (tx.root() != null) {
      return Mono.error(
          new InvalidRequestException(
              "This connection already has a transaction in progress; use beginNested() "
                  + "for a savepoint, or commit() or rollback() first."));
    }
    return beginRoot(false);
  }

  /** Begins a savepoint, and the outermost transaction first if there is none. */
  Mono<Transaction> beginNested() {
    if (conn.isolation() == IsolationLevel.AUTOCOMMIT) {
      return Mono.error(
          new InvalidRequestException(
              "beginNested() needs a transaction, and this connection runs in AUTOCOMMIT; "
                  + "set another isolation level with executionOptions()."));
    }
    Mono<Transaction> outer = tx.root() != null ? Mono.empty() : beginRoot(false);
    return outer
        .then(sendBegin())
        .then(
            Mono.defer(() -> {
              String name = tx.nextSavepointName();
              Transaction t = new Transaction(conn, name);
              tx.push(t);
              conn.fire(l -> l.onSavepoint(conn, name));
              return conn.runRaw(conn.dialect().savepointSql(name))
                  .thenReturn(t)
                  .onErrorResume(e -> {
                    tx.drop(t);
                    return Mono.error(e);
                  });
            }));
  }

  /**
   * Runs {@code work} inside a transaction (or savepoint) from {@code begin}: ended with a commit
   * when it completes, with a rollback when it fails or is cancelled; nothing is left to end when
   * {@code work} ended it itself, nor when the block was cancelled before its begin answered.
   */
  static <T> Mono<T> scoped(
      Connection conn,
      Function<BlockClaim<Transaction>, Mono<Transaction>> begin,
      Function<Transaction, ? extends Publisher<T>> work) {
    return Mono.defer(() -> {
      // The work's operations belong to the block's flow; a cancelled block's rollback then
      // queues behind the ones still awaited (by the Java face's futures) instead of being refused.
      ScopeFlow flow = new ScopeFlow(conn);
      return Mono.usingWhen(
              begin.apply(flow.claim()),
              t ->
                  Mono.defer(() -> {
                    if (!flow.enter(t)) {
                      return Mono.empty(); // cancelled as it began: its rollback is queued
                    }
                    t.enterBlock();
                    return Mono.from(work.apply(t));
                  }),
              // A block whose cancellation already queued its rollback ends with nothing more.
              t -> flow.finish() ? leave(t, true) : Mono.empty(),
              (t, e) -> flow.finish() ? leave(t, false) : Mono.empty(),
              t -> flow.cancelled() ? Mono.empty() : cleanUp(conn, t, flow.entered()))
          // usingWhen runs its cancel path only once the work's publisher is subscribed, on the
          // thread that applies the work: the caller, already gone on, could be first with its
          // next statement. The block's rollback is queued here instead, as the cancel arrives
          // (once it has reached the begin, whose waiter has then left).
          .doFinally(s -> {
            if (s == SignalType.CANCEL) {
              flow.cancelNow(t -> cleanUp(conn, t, flow.entered()));
            }
          });
    });
  }

  /**
   * The rollback of a cancelled block. Nobody awaits it but the block's clean-up: the connection's
   * next caller queues behind it instead of being refused. A block whose connection is closed
   * already needs none (the close rolls back: an {@code engine.begin} block's connection).
   */
  private static Mono<Void> cleanUp(Connection conn, Transaction t, boolean entered) {
    if (entered) {
      t.exitBlock();
    }
    if (conn.isClosed() || !t.isActive()) {
      return Mono.empty();
    }
    return t.rollback().contextWrite(c -> c.put(CallerFlow.KEY, CallerFlow.cleanUp()));
  }

  /**
   * The begin of a block that holds {@code claim}: hands the transaction over if the block still
   * waits; else ends it here, in the begin's own operation, so that the connection's next operation
   * finds nothing of it.
   */
  Mono<Transaction> claimed(Mono<Transaction> begin, BlockClaim<Transaction> claim) {
    return begin.flatMap(t -> claim.begun(t) ? Mono.just(t) : finish(t, false).then(Mono.empty()));
  }

  private static Mono<Void> leave(Transaction t, boolean commit) {
    t.exitBlock();
    if (!t.isActive()) {
      return Mono.empty();
    }
    return commit ? t.commit() : t.rollback();
  }

  /**
   * Runs a prepared statement in the transaction, beginning one first if none is in progress: on a
   * driver that pipelines BEGIN, the BEGIN travels with the statement.
   */
  Mono<Result> run(StatementPlan p, ExecutionOptions opts) {
    boolean autocommit = conn.isolation() == IsolationLevel.AUTOCOMMIT;
    if (autocommit && tx.root() == null) {
      return runner.run(p, opts); // no transaction, so no BEGIN to send first
    }
    if (control.pipelinesBegin() && !autocommit) {
      if (tx.root() == null) {
        beginRoot(true);
      }
      String begin = control.pendingBegin();
      if (begin != null) {
        return runner.runWithBegin(p, opts, begin, this::sendBegin);
      }
      return runner.run(p, opts);
    }
    return autobegin().then(runner.run(p, opts));
  }

  /** Begins a transaction if none is in progress, and sends a deferred BEGIN. */
  Mono<Void> autobegin() {
    if (tx.root() != null || conn.isolation() == IsolationLevel.AUTOCOMMIT) {
      return sendBegin();
    }
    return beginRoot(true).then(sendBegin());
  }

  /**
   * Sends the BEGIN that {@link #beginRoot} deferred, if it is still pending. Statements pipeline
   * it; savepoints and streams send it first.
   */
  Mono<Void> sendBegin() {
    return Mono.defer(() -> {
      Transaction t = tx.root();
      if (t == null) {
        return Mono.empty();
      }
      return control
          .sendPendingBegin()
          .onErrorResume(e -> {
            tx.forget(t);
            return conn.fail(e, "BEGIN", null);
          });
    });
  }

  private Mono<Transaction> beginRoot(boolean implicit) {
    Transaction t = new Transaction(conn, null);
    tx.begin(t);
    runner.transactionBegins();
    IsolationLevel iso = conn.isolation();
    if (iso == IsolationLevel.AUTOCOMMIT) {
      return Mono.just(t);
    }
    conn.fire(EngineListener::onBegin, conn);
    return control
        .begin(iso, implicit)
        .thenReturn(t)
        .onErrorResume(e -> {
          tx.forget(t);
          return conn.fail(e, "BEGIN", null);
        });
  }

  /** Commits or rolls back {@code t}: a savepoint is released or rolled back to. */
  Mono<Void> finish(Transaction t, boolean commit) {
    if (!t.isActive()) {
      InvalidRequestException again = t.reuseError(commit);
      return again == null ? Mono.empty() : Mono.error(again);
    }
    if (conn.isInvalidated()) {
      if (commit) {
        return Mono.error(ConnectionErrors.invalidatedError("commit"));
      }
      tx.endAll(Transaction.End.ROLLED_BACK);
      return Mono.empty();
    }
    if (t.isNested()) {
      return finishSavepoint(t, commit);
    }
    runner.closeStream();
    boolean autocommit = conn.isolation() == IsolationLevel.AUTOCOMMIT;
    if (!autocommit) {
      if (commit) {
        conn.fire(EngineListener::onCommit, conn);
      } else {
        conn.fire(EngineListener::onRollback, conn);
      }
    }
    tx.endRoot(t, commit);
    if (autocommit || conn.isInvalidated()) {
      return Mono.empty();
    }
    if (control.dropPendingBegin()) {
      // Nothing ran: the BEGIN was never sent, so there is nothing to end.
      return Mono.empty();
    }
    return control.end(commit);
  }

  private Mono<Void> finishSavepoint(Transaction t, boolean commit) {
    tx.endSavepoint(t, commit);
    String name = t.savepointName();
    Dialect d = conn.dialect();
    if (commit) {
      conn.fire(l -> l.onReleaseSavepoint(conn, name));
    } else {
      conn.fire(l -> l.onRollbackToSavepoint(conn, name));
    }
    return conn.runRaw(commit ? d.releaseSavepointSql(name) : d.rollbackToSavepointSql(name));
  }
}
