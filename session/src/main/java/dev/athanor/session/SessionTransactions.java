package dev.athanor.session;

import dev.athanor.engine.BlockClaim;
import dev.athanor.engine.Connection;
import dev.athanor.engine.Engine;
import dev.athanor.engine.Transaction;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.PendingRollbackException;
import dev.athanor.error.ResourceClosedException;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * A session's transaction: the connections that joined it (one per engine, each beginning the
 * transaction and the open savepoints when it joins), its outermost {@link SessionTransaction}, the
 * savepoint levels, and the state a failed flush leaves (the session refuses work until it is
 * rolled back). The session's public methods hold its guard around these.
 */
final class SessionTransactions {
  private final Session session;

  /** The connections in the transaction, and those being checked out for it. */
  private final SessionConnections connections = new SessionConnections();

  private final SessionSavepoints savepoints;
  private @Nullable SessionTransaction root;
  private @Nullable Throwable failedFlush;
  private String failedDuring = "flush";

  /** How many savepoints were open when the flush failed (0: the outermost transaction). */
  private int failedDepth;

  SessionTransactions(Session session) {
    this.session = session;
    this.savepoints = new SessionSavepoints(session);
  }

  // ---- state ----

  /** The outermost transaction in progress, or {@code null}. */
  @Nullable SessionTransaction root() {
    return root;
  }

  SessionSavepoints savepoints() {
    return savepoints;
  }

  /** Whether a failed flush left the session refusing work until a rollback. */
  boolean hasFailedFlush() {
    return failedFlush != null;
  }

  /** Refuses work while a failed flush is not rolled back, naming what failed. */
  void checkNoPendingRollback() {
    Throwable f = failedFlush;
    if (f != null) {
      String why =
          f instanceof java.util.concurrent.CancellationException
              ? "because " + f.getMessage()
              : "because of an error during "
                  + failedDuring
                  + " ("
                  + f.getClass().getSimpleName()
                  + ": "
                  + f.getMessage()
                  + ")";
      throw new PendingRollbackException(
          "This session's transaction was rolled back "
              + why
              + ". Call rollback() before using the session again.",
          f);
    }
  }

  // ---- connections ----

  /** The session's connection for a statement, on the engine its binds name. */
  Mono<Connection> connectionFor(
      SessionBinds binds,
      @Nullable Mapper<?> mapper,
      @Nullable Executable statement,
      ExecutionOptions opts,
      boolean flush) {
    return Mono.defer(() -> {
      Connection only = connections.only();
      if (only != null && binds.isSingle() && opts.get(Session.BIND) == null) {
        return Mono.just(only);
      }
      Mapper<?> m = mapper != null ? mapper : SessionBinds.mapperOf(statement);
      return joined(binds.resolve(new BindRequest(session, m, statement, opts, flush)));
    });
  }

  /**
   * The session's connection to {@code engine}: the one in the transaction, or a new one that joins
   * it (the transaction begins on it, with one savepoint per savepoint level open).
   */
  Mono<Connection> joined(Engine engine) {
    Connection c = connections.get(engine);
    if (c != null) {
      return Mono.just(c);
    }
    // The connection is the session's before any IO: whatever moment a cancelled caller stops at,
    // ending the transaction or closing the session closes it (a checkout still under way gives
    // the driver connection back when it arrives).
    Connection conn = engine.newConnection();
    connections.starting(conn);
    return conn.start()
        .doOnError(e -> connections.forget(engine, conn)) // the checkout failed: nothing to return
        .flatMap(started -> {
          if (session.events.isEmpty() && savepoints.isEmpty()) {
            return join(engine, conn); // nobody to tell, no savepoint to repeat: no IO
          }
          // Once it joins, the listeners and the repeated SAVEPOINTs run to their end even if the
          // caller is cancelled (the session's next operation waits for them): the connection is
          // in every open savepoint level, or leaves the transaction.
          return session.guard.runToEnd(
              Mono.defer(() -> join(engine, conn))
                  .flatMap(joined ->
                      session
                          .fire(l -> l.afterBegin(session, joined))
                          .then(
                              Flux.fromIterable(savepoints.open())
                                  .concatMap(t -> joined.beginNested().map(sp -> Map.entry(t, sp)))
                                  .collectList())
                          .map(begun -> {
                            for (Map.Entry<SessionTransaction, Transaction> level : begun) {
                              level.getKey().addSavepoint(level.getValue());
                            }
                            return joined;
                          })
                          .onErrorResume(e ->
                              // A failing listener or SAVEPOINT: the connection does not join.
                              leave(engine, joined).then(Mono.error(e)))));
        })
        .doFinally(signal -> {
          // The caller left during the checkout (which closed the connection) or before it
          // joined: the connection is not the session's, and goes back now.
          if (signal == SignalType.CANCEL && connections.forgetStarting(conn)) {
            SessionConnections.closeAll(List.of(conn), Connection::close);
          }
        });
  }

  /**
   * The connection joins the transaction (the session's statements find it from now on), unless
   * that ended, the session closed or the caller left while it was checked out.
   */
  private Mono<Connection> join(Engine engine, Connection conn) {
    if (!connections.started(engine, conn)) {
      return Mono.error(
          new ResourceClosedException(
              "This session's transaction ended while a connection was being checked out for it;"
                  + " run the operation again."));
    }
    if (root == null) {
      root = new SessionTransaction(session, 0);
    }
    return Mono.just(conn);
  }

  /** A connection that could not join goes back; with no other, the transaction did not begin. */
  private Mono<Void> leave(Engine engine, Connection conn) {
    connections.forget(engine, conn);
    if (connections.isEmpty() && savepoints.isEmpty()) {
      endAll();
    }
    return SessionConnections.closeAll(List.of(conn), Connection::close)
        .onErrorResume(x -> Mono.empty());
  }

  // ---- beginning ----

  /** Begins the outermost transaction; an error if one is in progress. */
  SessionTransaction begin() {
    if (root != null) {
      throw new InvalidRequestException(
          "This session already has a transaction in progress; commit() or rollback() it before "
              + "begin(), run the work in it directly, or use beginNested() for a savepoint.");
    }
    SessionTransaction t = new SessionTransaction(session, 0);
    root = t;
    return t;
  }

  /** Flushes, then opens a savepoint level on every connection (on the default one if none). */
  Mono<SessionTransaction> beginNested(
      Mono<Connection> defaultConnection, @Nullable BlockClaim<SessionTransaction> caller) {
    return session
        .flushNow()
        .then(connections.isEmpty() ? defaultConnection.then() : Mono.<Void>empty())
        .then(savepoints.begin(connections, caller));
  }

  /** Commits (flush, RELEASE) or rolls back a savepoint, ending the ones inside it first. */
  Mono<Void> finishNested(SessionTransaction t, boolean commit, String name) {
    if (!t.isActive() || !savepoints.contains(t)) {
      return Mono.error(
          new InvalidRequestException(
              t + " has already ended; " + name + "() works on an active savepoint."));
    }
    return savepoints.finish(t, commit);
  }

  /** A savepoint at {@code depth} rolled back: a flush that failed inside it is undone. */
  void rolledBackTo(int depth) {
    if (failedFlush != null && failedDepth >= depth) {
      failedFlush = null;
    }
  }

  // ---- ending ----

  /** A flush failed: roll back now, keep the objects as they were, refuse work until rollback. */
  Mono<Void> failed(Throwable e, String during) {
    if (!markFailed(e, during)) {
      return Mono.empty();
    }
    return Flux.fromIterable(connections.all())
        .concatMap(c -> c.rollback().onErrorResume(x -> Mono.empty()))
        .then();
  }

  /**
   * A flush was cancelled after it began writing: the session refuses work until {@code
   * rollback()}, and each connection rolls back behind the statement it may still be running. The
   * rollbacks are started and let go at once, as a cancelled caller's operations are: they run to
   * their end on their connections, and the program's own {@code rollback()} or {@code close()}
   * then waits behind them rather than finding the connection busy.
   */
  void cancelled(Throwable e) {
    if (markFailed(e, "flush")) {
      for (Connection c : connections.all()) {
        c.rollback().subscribe(v -> {}, x -> {}).dispose();
      }
    }
  }

  /**
   * Records a failed flush (work is refused until a rollback); returns whether the connections must
   * roll back now. Inside a savepoint they need not: rolling it back (which the program or its
   * beginNested block does) undoes the failed writes and lets the outer transaction go on.
   */
  private boolean markFailed(Throwable e, String during) {
    failedFlush = e;
    failedDuring = during;
    failedDepth = savepoints.depth();
    return savepoints.isEmpty();
  }

  /**
   * {@link Session#begin(java.util.function.Function)}: commits after work, rolls back on error.
   */
  <T> Mono<T> around(
      java.util.function.Function<Session, ? extends org.reactivestreams.Publisher<T>> work) {
    return Mono.usingWhen(
        Mono.defer(() -> {
          session.checkOpen("begin");
          // The transaction is the session's from here on: a nested begin() is refused.
          begin();
          return Mono.just(session);
        }),
        s -> Mono.from(work.apply(s)),
        Session::commit,
        (s, e) -> s.rollback(),
        Session::rollback);
  }

  /**
   * {@link Session#beginNested(java.util.function.Function)}: releases or rolls back the savepoint.
   * A block cancelled before its level opened leaves none open ({@link BlockClaim}); one cancelled
   * as the level opened rolls it back, and its work does not run.
   */
  static <T> Mono<T> around(
      java.util.function.Function<BlockClaim<SessionTransaction>, Mono<SessionTransaction>>
          savepoint,
      java.util.function.Function<SessionTransaction, ? extends org.reactivestreams.Publisher<T>>
          work) {
    return Mono.defer(() -> {
      BlockClaim<SessionTransaction> claim = new BlockClaim<>();
      // 0: the level is beginning; 1: the work runs; 2: the block's end has started.
      AtomicInteger stage = new AtomicInteger();
      return Mono.usingWhen(
              savepoint.apply(claim),
              t -> stage.compareAndSet(0, 1) ? Mono.from(work.apply(t)) : Mono.<T>empty(),
              t -> end(t, stage, true),
              (t, e) -> end(t, stage, false),
              t -> end(t, stage, false))
          .doFinally(signal -> {
            if (signal == SignalType.CANCEL && stage.compareAndSet(0, 2)) {
              SessionTransaction t = claim.leave(); // null: the level will not open
              if (t != null && t.isActive()) {
                t.rollback()
                    .subscribe(
                        v -> {},
                        e ->
                            reactor.util.Loggers.getLogger(SessionTransactions.class)
                                .warn("The rollback of a cancelled savepoint block failed", e));
              }
            }
          });
    });
  }

  private static Mono<Void> end(SessionTransaction t, AtomicInteger stage, boolean commit) {
    if (stage.getAndSet(2) == 2 || !t.isActive()) {
      return Mono.empty();
    }
    return commit ? t.commit() : t.rollback();
  }

  /**
   * {@link Session#commit()} under the guard: beforeCommit, the flush, then, once a COMMIT may be
   * on its way, the end that runs even if the caller is cancelled (the commit, the expiry, the
   * afterCommit listeners); the session's next operation waits for that end.
   */
  Mono<Void> commitSession(boolean expireOnCommit) {
    UnitOfWork work = session.work;
    return Mono.defer(
            () -> {
              session.checkOpen("commit");
              session.checkNoPendingRollback();
              return session
                  .fire(l -> l.beforeCommit(session))
                  .onErrorResume(e -> failed(e, "beforeCommit").then(Mono.error(e)));
            })
        .then(session.flushNow())
        .then(
            session.guard.runToEnd(
                commit()
                    .then(
                        Mono.fromRunnable(() -> work.loading(() -> work.committed(expireOnCommit))))
                    .then(session.fire(l -> l.afterCommit(session)))));
  }

  /**
   * {@link Session#rollback()} under the guard; runs to its end even if the caller is cancelled.
   */
  Mono<Void> rollbackSession() {
    UnitOfWork work = session.work;
    return session.guard.runToEnd(
        rollback()
            .then(Mono.fromRunnable(() -> work.loading(work::rolledBack)))
            .then(session.fire(l -> l.afterRollback(session))));
  }

  /** Commits each connection in the order it joined (no two-phase commit), then returns them. */
  Mono<Void> commit() {
    return Flux.defer(() -> Flux.fromIterable(connections.all()))
        .concatMap(Connection::commit)
        .then(release());
  }

  /** Rolls back each connection (its failure ignored), returns them, clears a failed flush. */
  Mono<Void> rollback() {
    return Flux.defer(() -> Flux.fromIterable(connections.all()))
        .concatMap(c -> c.rollback().onErrorResume(e -> Mono.empty()))
        .then()
        .then(release())
        .then(Mono.fromRunnable(() -> failedFlush = null));
  }

  /** Ends the transaction and returns every connection (each rolls back what it did not commit). */
  private Mono<Void> release() {
    return Mono.defer(() -> {
      List<Connection> all = connections.takeAll();
      endAll();
      return SessionConnections.closeAll(all, Connection::close);
    });
  }

  /**
   * The session closes: every connection leaves it, the transaction objects end, every object is
   * removed, and the connections are closed (each close starts at once, see {@link
   * SessionConnections#closeAll}).
   */
  Mono<Void> close() {
    List<Connection> all = connections.takeAll();
    endAll();
    session.work.expungeAll();
    failedFlush = null;
    return SessionConnections.closeAll(all, Connection::close);
  }

  /** Discards every connection instead of returning it (a close follows). */
  Mono<Void> invalidate() {
    List<Connection> all = connections.takeAll();
    return SessionConnections.closeAll(all, c -> c.invalidate().onErrorResume(e -> c.close()));
  }

  /** Ends every session transaction object: the transaction committed or rolled back. */
  private void endAll() {
    savepoints.endAll();
    SessionTransaction r = root;
    if (r != null) {
      r.ended();
    }
    root = null;
  }
}
