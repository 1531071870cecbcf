package dev.athanor.java;

import dev.athanor.engine.internal.CoreFaces;
import dev.athanor.session.SessionTransaction;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The Java face of a {@link SessionTransaction} (SQLAlchemy's {@code AsyncSessionTransaction}): the
 * session's outermost transaction, or a savepoint begun with {@link AsyncSession#beginNested()}.
 */
public final class AsyncSessionTransaction {
  private final SessionTransaction core;

  private AsyncSessionTransaction(SessionTransaction core) {
    this.core = core;
  }

  /** Returns the Java face of a core session transaction. */
  public static AsyncSessionTransaction of(SessionTransaction core) {
    return CoreFaces.of(
        core, AsyncSessionTransaction.class, () -> new AsyncSessionTransaction(core));
  }

  /** Returns the reactive core session transaction. */
  public SessionTransaction core() {
    return core;
  }

  /**
   * Commits: the outermost transaction as {@link AsyncSession#commit()}; a savepoint is flushed and
   * released.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> commit() {
    return core.commit().toFuture();
  }

  /**
   * Rolls back: the outermost transaction as {@link AsyncSession#rollback()}; a savepoint undoes
   * what was written since it began, in the database and in the session's objects.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> rollback() {
    return core.rollback().toFuture();
  }

  /** Returns whether it has not ended yet. */
  public boolean isActive() {
    return core.isActive();
  }

  /** Returns whether this is a savepoint. */
  public boolean isNested() {
    return core.isNested();
  }

  /** Returns the session. */
  public AsyncSession session() {
    return AsyncSession.of(core.session());
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
