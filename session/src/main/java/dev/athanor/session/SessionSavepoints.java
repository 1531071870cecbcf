package dev.athanor.session;

import dev.athanor.engine.BlockClaim;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * The savepoints a session has open, outermost first: each level is one {@code SessionTransaction}
 * with a SAVEPOINT on every connection of the session's transaction. Ending a level ends the levels
 * inside it first; the unit of work is told, so that a rolled back level's objects go back to how
 * they were when it began.
 */
final class SessionSavepoints {
  private final Session session;
  private final ArrayList<SessionTransaction> open = new ArrayList<>();

  SessionSavepoints(Session session) {
    this.session = session;
  }

  /** How many levels are open. */
  int depth() {
    return open.size();
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  boolean contains(SessionTransaction t) {
    return open.contains(t);
  }

  /** The innermost level, or {@code null}. */
  @Nullable SessionTransaction innermost() {
    return open.isEmpty() ? null : open.get(open.size() - 1);
  }

  /** The open levels, outermost first (a copy: a connection joining later repeats them). */
  List<SessionTransaction> open() {
    return List.copyOf(open);
  }

  /**
   * Opens a level: a SAVEPOINT on each connection the transaction has when it is subscribed. If one
   * fails, those begun before it are rolled back, so that no level is half open. If the caller is
   * cancelled (or its {@code caller} claim left) before the level opened, the savepoints begun for
   * it are rolled back too (a SAVEPOINT still on its way rolls itself back: see {@link
   * BlockClaim}), so that none is left open with no level to end it.
   */
  Mono<SessionTransaction> begin(
      SessionConnections connections, @Nullable BlockClaim<SessionTransaction> caller) {
    return Mono.defer(() -> {
      SessionTransaction st = new SessionTransaction(session, open.size() + 1);
      SavepointOpening opening = new SavepointOpening(caller);
      return Flux.fromIterable(connections.all())
          .concatMap(c -> c.beginNested(opening.claim()))
          .doOnNext(st::addSavepoint)
          .then(
              Mono.fromCallable(() -> {
                boolean opened =
                    opening.open(
                        st,
                        () -> {
                          session.work.savepointBegun();
                          open.add(st);
                        });
                return opened ? st : null; // null: its caller left, its savepoints roll back
              }))
          .onErrorResume(e ->
              Flux.fromIterable(st.savepoints())
                  .concatMap(sp -> sp.isActive() ? sp.rollback() : Mono.empty())
                  .onErrorResume(x -> Mono.empty())
                  .then(Mono.error(e)))
          .doFinally(signal -> {
            if (signal == SignalType.CANCEL) {
              opening.cancel();
            }
          });
    });
  }

  /** Releases (after a flush) or rolls back {@code t}, ending the levels inside it first. */
  Mono<Void> finish(SessionTransaction t, boolean commit) {
    Mono<Void> chain = Mono.empty();
    for (int i = open.size() - 1; i >= open.indexOf(t); i--) {
      SessionTransaction inner = open.get(i);
      chain = chain.then(commit ? release(inner) : rollback(inner));
    }
    return chain;
  }

  // Once a RELEASE or ROLLBACK TO is on its way, the level's end runs to its end even if the caller
  // is cancelled: else the level would stay open over savepoints that are gone.

  private Mono<Void> release(SessionTransaction t) {
    return session
        .flushNow()
        .then(
            session.guard.runToEnd(
                Flux.fromIterable(t.savepoints())
                    .concatMap(sp -> sp.commit())
                    .then(
                        Mono.fromRunnable(() -> {
                          session.work.savepointReleased();
                          end(t);
                        }))));
  }

  private Mono<Void> rollback(SessionTransaction t) {
    return session.guard.runToEnd(
        Flux.fromIterable(t.savepoints())
            .concatMap(sp -> sp.isActive() ? sp.rollback() : Mono.<Void>empty())
            .then()
            .then(
                Mono.fromRunnable(() -> {
                  session.work.savepointRolledBack();
                  session.txs.rolledBackTo(t.depth());
                  end(t);
                })));
  }

  private void end(SessionTransaction t) {
    open.remove(t);
    t.ended();
  }

  /** Ends every level: the whole transaction committed or rolled back. */
  void endAll() {
    for (SessionTransaction t : open) {
      t.ended();
    }
    open.clear();
  }
}
