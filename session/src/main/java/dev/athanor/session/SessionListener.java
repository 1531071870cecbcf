package dev.athanor.session;

import dev.athanor.engine.Connection;
import reactor.core.publisher.Mono;

/**
 * Listens to a session's events (SQLAlchemy's session events). Register one on a session ({@code
 * session.events().add(l)}), on a factory (every session it makes), or on every session ({@link
 * SessionEvents#addGlobal}).
 *
 * <p>The transaction and flush events may do IO: each returns a {@code Mono} that the session
 * awaits, listener after listener, before it goes on (an empty {@code Mono} when there is nothing
 * to wait for). Inside them the listener may use the session ({@code session.execute(...)}, {@code
 * session.connection()}): calls made from the returned {@code Mono} are part of the operation that
 * fired the event, not a second caller. A listener's error fails that operation with the listener's
 * error; a failure before the commit rolls the transaction back. {@link SessionEvents#blocking}
 * wraps blocking code instead, run on a virtual thread with a {@link SyncSession}.
 *
 * <p>The object events ({@link #afterAttach}, {@link #pendingToPersistent}, {@link #loaded}) are
 * plain calls made while the session updates its bookkeeping; they must not do IO.
 */
public interface SessionListener {
  /** The session's transaction began, on {@code connection} (first use after begin or commit). */
  default Mono<Void> afterBegin(Session session, Connection connection) {
    return Mono.empty();
  }

  /**
   * A flush is about to plan its statements; objects added or changed here are part of it. Fired
   * only when there is something to flush.
   */
  default Mono<Void> beforeFlush(Session session) {
    return Mono.empty();
  }

  /** A flush's statements ran and the objects hold their keys and new values. */
  default Mono<Void> afterFlush(Session session) {
    return Mono.empty();
  }

  /** After {@link #afterFlush}, once the flush is over in every way. */
  default Mono<Void> afterFlushPostexec(Session session) {
    return Mono.empty();
  }

  /** The session is about to commit: before its last flush and the COMMIT. */
  default Mono<Void> beforeCommit(Session session) {
    return Mono.empty();
  }

  /** The transaction committed and the connection went back; the session is outside one now. */
  default Mono<Void> afterCommit(Session session) {
    return Mono.empty();
  }

  /** The transaction rolled back (also a savepoint's rollback). */
  default Mono<Void> afterRollback(Session session) {
    return Mono.empty();
  }

  /** An object was attached to the session (add, merge's copy). No IO here. */
  default void afterAttach(Session session, Object entity) {}

  /** A pending object was inserted by a flush and is persistent now. No IO here. */
  default void pendingToPersistent(Session session, Object entity) {}

  /** An object was populated from a row (made, or reloaded in place). No IO here. */
  default void loaded(Session session, Object entity) {}
}
