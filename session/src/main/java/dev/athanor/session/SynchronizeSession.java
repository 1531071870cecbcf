package dev.athanor.session;

/**
 * How a bulk {@code update(User)} / {@code delete(User)} run through a session keeps the objects
 * the session holds right (SQLAlchemy's {@code synchronize_session}); set it with {@link
 * Session#SYNCHRONIZE_SESSION} on the statement or the call.
 */
public enum SynchronizeSession {
  /** {@link #EVALUATE} when the criteria can be evaluated in memory, else {@link #FETCH}. */
  AUTO,
  /**
   * Evaluates the WHERE criteria against each object of the class in memory: matching objects get
   * the new values (UPDATE) or leave the session as deleted (DELETE). Fails, before anything is
   * sent, if the criteria use something the evaluator does not understand.
   */
  EVALUATE,
  /**
   * Selects the keys of the matching rows first (one more statement), then updates or deletes:
   * matching objects get the new values (or have those attributes expired when a value is an SQL
   * expression), or leave the session as deleted.
   */
  FETCH,
  /** Leaves the objects alone: they may show stale values until refreshed or expired. */
  NONE
}
