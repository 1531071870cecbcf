package dev.athanor.java;

import dev.athanor.engine.Transaction;
import dev.athanor.engine.internal.CoreFaces;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** The Java face of a {@link Transaction} or savepoint. */
public final class AsyncTransaction {
  private final Transaction core;

  private AsyncTransaction(Transaction core) {
    this.core = core;
  }

  /** Returns the Java face of a core transaction. */
  public static AsyncTransaction of(Transaction core) {
    return CoreFaces.of(core, AsyncTransaction.class, () -> new AsyncTransaction(core));
  }

  /** Returns the reactive core transaction. */
  public Transaction core() {
    return core;
  }

  /**
   * Commits, or releases the savepoint.
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
   * Rolls back, or to the savepoint.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> rollback() {
    return core.rollback().toFuture();
  }

  /** Returns whether it is neither committed nor rolled back. */
  public boolean isActive() {
    return core.isActive();
  }

  /** Returns the connection this transaction runs on. */
  public AsyncConnection connection() {
    return AsyncConnection.of(core.connection());
  }

  /** Returns whether this is a savepoint. */
  public boolean isNested() {
    return core.isNested();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
