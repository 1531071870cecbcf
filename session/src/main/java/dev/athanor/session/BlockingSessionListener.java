package dev.athanor.session;

/**
 * The blocking form of a {@link SessionListener}, for listeners written as plain code: each method
 * runs on a virtual thread with a {@link SyncSession} over the session that fired the event (the
 * same transaction and identity map), and the session waits for it. Register one with {@code
 * session.events().add(SessionEvents.blocking(listener))}.
 */
public interface BlockingSessionListener {
  /** The session's transaction began. */
  default void afterBegin(SyncSession session) {}

  /** A flush is about to plan its statements. */
  default void beforeFlush(SyncSession session) {}

  /** A flush's statements ran. */
  default void afterFlush(SyncSession session) {}

  /** After {@link #afterFlush}, once the flush is over. */
  default void afterFlushPostexec(SyncSession session) {}

  /** The session is about to commit. */
  default void beforeCommit(SyncSession session) {}

  /** The transaction committed; using the session here begins a new one. */
  default void afterCommit(SyncSession session) {}

  /** The transaction rolled back. */
  default void afterRollback(SyncSession session) {}
}
