package dev.athanor.java;

import dev.athanor.engine.Connection;
import dev.athanor.session.Registration;
import dev.athanor.session.Session;
import dev.athanor.session.SessionEvents;
import dev.athanor.session.SessionListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Listens to a session's events with {@code CompletionStage}s (SQLAlchemy's session events).
 * Register one with {@link AsyncSession#listen}, {@link AsyncSessionMaker#listen} or {@link
 * #addGlobal}.
 *
 * <p>The transaction and flush events may do IO and may use the session that fired them: the
 * session awaits each returned stage, listener after listener, before it goes on, and the calls the
 * listener makes through the {@link AsyncSession} it is given belong to the operation that fired
 * the event (the same calls through another reference to the session are refused until the
 * operation ends, as any other caller's are). A failed stage fails that operation; a failure before
 * the commit rolls the transaction back. The object events ({@link #afterAttach}, {@link
 * #pendingToPersistent}, {@link #loaded}) are plain calls that must not do IO.
 */
public interface AsyncSessionListener {
  /** A completed stage, for listeners with nothing to wait for. */
  static CompletionStage<@Nullable Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  /** The session's transaction began, on {@code connection}. */
  default CompletionStage<@Nullable Void> afterBegin(
      AsyncSession session, AsyncConnection connection) {
    return done();
  }

  /** A flush is about to plan its statements; objects added or changed here are part of it. */
  default CompletionStage<@Nullable Void> beforeFlush(AsyncSession session) {
    return done();
  }

  /** A flush's statements ran; the objects hold their keys and new values. */
  default CompletionStage<@Nullable Void> afterFlush(AsyncSession session) {
    return done();
  }

  /** After {@link #afterFlush}, once the flush is over. */
  default CompletionStage<@Nullable Void> afterFlushPostexec(AsyncSession session) {
    return done();
  }

  /** The session is about to commit: before its last flush and the COMMIT. */
  default CompletionStage<@Nullable Void> beforeCommit(AsyncSession session) {
    return done();
  }

  /** The transaction committed; using the session here begins a new one. */
  default CompletionStage<@Nullable Void> afterCommit(AsyncSession session) {
    return done();
  }

  /** The transaction (or a savepoint) rolled back. */
  default CompletionStage<@Nullable Void> afterRollback(AsyncSession session) {
    return done();
  }

  /** An object was attached to the session. No IO here. */
  default void afterAttach(AsyncSession session, Object entity) {}

  /** A pending object was inserted and is persistent now. No IO here. */
  default void pendingToPersistent(AsyncSession session, Object entity) {}

  /** An object was populated from a row. No IO here. */
  default void loaded(AsyncSession session, Object entity) {}

  /** Adds a listener for every session; the returned registration removes it. */
  static Registration addGlobal(AsyncSessionListener listener) {
    return SessionEvents.addGlobal(core(listener));
  }

  /** Returns the core listener that runs {@code listener}'s stages. */
  static SessionListener core(AsyncSessionListener listener) {
    return new SessionListener() {
      private Mono<Void> await(java.util.function.Supplier<CompletionStage<@Nullable Void>> s) {
        return Mono.fromCompletionStage(s).then();
      }

      @Override
      public Mono<Void> afterBegin(Session session, Connection connection) {
        return await(() ->
            listener.afterBegin(AsyncSession.forListener(session), AsyncConnection.of(connection)));
      }

      @Override
      public Mono<Void> beforeFlush(Session session) {
        return await(() -> listener.beforeFlush(AsyncSession.forListener(session)));
      }

      @Override
      public Mono<Void> afterFlush(Session session) {
        return await(() -> listener.afterFlush(AsyncSession.forListener(session)));
      }

      @Override
      public Mono<Void> afterFlushPostexec(Session session) {
        return await(() -> listener.afterFlushPostexec(AsyncSession.forListener(session)));
      }

      @Override
      public Mono<Void> beforeCommit(Session session) {
        return await(() -> listener.beforeCommit(AsyncSession.forListener(session)));
      }

      @Override
      public Mono<Void> afterCommit(Session session) {
        return await(() -> listener.afterCommit(AsyncSession.forListener(session)));
      }

      @Override
      public Mono<Void> afterRollback(Session session) {
        return await(() -> listener.afterRollback(AsyncSession.forListener(session)));
      }

      @Override
      public void afterAttach(Session session, Object entity) {
        listener.afterAttach(AsyncSession.forListener(session), entity);
      }

      @Override
      public void pendingToPersistent(Session session, Object entity) {
        listener.pendingToPersistent(AsyncSession.forListener(session), entity);
      }

      @Override
      public void loaded(Session session, Object entity) {
        listener.loaded(AsyncSession.forListener(session), entity);
      }
    };
  }
}
