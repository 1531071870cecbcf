package dev.athanor.session;

import dev.athanor.engine.Transaction;
import reactor.core.publisher.Mono;

/**
 * A transaction of a {@link Session} (SQLAlchemy's {@code SessionTransaction}): the outermost one,
 * which lasts from the session's first use of a connection to its commit or rollback, or a nested
 * one, a SAVEPOINT begun with {@link Session#beginNested()}.
 *
 * <p>Committing the outermost one is {@link Session#commit()}. Committing a nested one flushes and
 * releases its savepoint; rolling it back undoes what was written since it began (objects it
 * inserted are transient again, objects it deleted come back, objects it changed are expired) and
 * the outer transaction goes on, which is how a program tries a write that may fail:
 *
 * <pre>{@code
 * session.beginNested(sp -> session.flush())       // a unique violation rolls back the savepoint
 *     .onErrorResume(IntegrityException.class, e -> Mono.empty())
 *     .then(session.commit());                      // the rest of the transaction commits
 * }</pre>
 */
public final class SessionTransaction {
  final dev.athanor.result.internal.FaceSlot faces = new dev.athanor.result.internal.FaceSlot();
  private final Session session;

  /** A nested one's SAVEPOINTs: one on each connection of the session's transaction. */
  private final java.util.List<Transaction> savepoints = new java.util.ArrayList<>();

  private final int depth;
  private boolean active = true;

  SessionTransaction(Session session, int depth) {
    this.session = session;
    this.depth = depth;
  }

  /** Returns the session. */
  public Session session() {
    return session;
  }

  /** Returns whether this is a SAVEPOINT (a nested transaction). */
  public boolean isNested() {
    return depth > 0;
  }

  /** Returns whether it has not ended yet. */
  public boolean isActive() {
    return active;
  }

  /**
   * Commits: the outermost transaction as {@link Session#commit()}; a nested one flushes and
   * releases its savepoint, and the objects keep their state.
   *
   * <p>Cancellation: cancelling the returned {@code Mono} (or the coroutine or future over it)
   * rolls back what was not committed and returns the connection to the pool.
   */
  public Mono<Void> commit() {
    return depth == 0 ? session.commit() : session.finishNested(this, true);
  }

  /**
   * Rolls back: the outermost transaction as {@link Session#rollback()}; a nested one rolls back to
   * its savepoint, undoing what was written since it began in the database and in the session's
   * objects, and the outer transaction goes on.
   *
   * <p>Cancellation: cancelling the returned {@code Mono} (or the coroutine or future over it)
   * rolls back what was not committed and returns the connection to the pool.
   */
  public Mono<Void> rollback() {
    return depth == 0 ? session.rollback() : session.finishNested(this, false);
  }

  java.util.List<Transaction> savepoints() {
    return java.util.List.copyOf(savepoints);
  }

  void addSavepoint(Transaction sp) {
    savepoints.add(sp);
  }

  int depth() {
    return depth;
  }

  void ended() {
    active = false;
  }

  @Override
  public String toString() {
    return "SessionTransaction("
        + (depth == 0
            ? "outermost"
            : "savepoint "
                + (savepoints.isEmpty() ? "level " + depth : savepoints.get(0).savepointName()))
        + (active ? "" : ", ended")
        + ")";
  }
}
