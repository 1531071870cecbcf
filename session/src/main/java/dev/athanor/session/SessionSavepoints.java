package dev.athanor.session;

import dev.athanor.engine.Connection;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

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
   * fails, those begun before it are rolled back, so that no level is half open.
   */
  Mono<SessionTransaction> begin(SessionConnections connections) {
    return Mono.defer(() -> {
      SessionTransaction st = new SessionTransaction(session, open.size() + 1);
      return Flux.fromIterable(connections.all())
          .concatMap(Connection::beginNested)
          .doOnNext(st::addSavepoint)
          .then(
              Mono.fromCallable(() -> {
                session.work.savepointBegun();
                open.add(st);
                return st;
              }))
          .onErrorResume(e ->
              Flux.fromIterable(st.savepoints())
                  .concatMap(sp -> sp.isActive() ? sp.rollback() : Mono.empty())
                  .onErrorResume(x -> Mono.empty())
                  .then(Mono.error(e)));
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

  private Mono<Void> release(SessionTransaction t) {
    return session
        .flushNow()
        .then(Flux.fromIterable(t.savepoints()).concatMap(sp -> sp.commit()).then())
        .then(
            Mono.fromRunnable(() -> {
              session.work.savepointReleased();
              end(t);
            }));
  }

  private Mono<Void> rollback(SessionTransaction t) {
    return Flux.fromIterable(t.savepoints())
        .concatMap(sp -> sp.isActive() ? sp.rollback() : Mono.<Void>empty())
        .then()
        .then(
            Mono.fromRunnable(() -> {
              session.work.savepointRolledBack();
              session.txs.rolledBackTo(t.depth());
              end(t);
            }));
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
