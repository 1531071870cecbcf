package dev.athanor.engine;

import dev.athanor.result.internal.FaceSlot;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A transaction on a {@link Connection}: the outermost one ({@link Connection#begin()}, or begun
 * automatically by the first statement), or a nested one, a SAVEPOINT ({@link
 * Connection#beginNested()}). Commit or roll back exactly once; later calls do nothing.
 */
public final class Transaction {
  private final Connection connection;
  private final @Nullable String savepoint;
  private final FaceSlot faces = new FaceSlot();
  private volatile boolean active = true;

  Transaction(Connection connection, @Nullable String savepoint) {
    this.connection = connection;
    this.savepoint = savepoint;
  }

  /** Returns the connection. */
  public Connection connection() {
    return connection;
  }

  /** Returns whether this is a SAVEPOINT. */
  public boolean isNested() {
    return savepoint != null;
  }

  /** Returns the savepoint's name, or {@code null} for the outermost transaction. */
  public @Nullable String savepointName() {
    return savepoint;
  }

  /** Returns whether the transaction is neither committed nor rolled back. */
  public boolean isActive() {
    return active;
  }

  void deactivate() {
    active = false;
  }

  /**
   * Commits: the outermost transaction COMMITs (closing any open savepoints); a nested one RELEASEs
   * its savepoint.
   */
  public Mono<Void> commit() {
    return connection.finish(this, true);
  }

  /**
   * Rolls back: the outermost transaction ROLLBACKs; a nested one rolls back to its savepoint,
   * keeping the work done before it.
   */
  public Mono<Void> rollback() {
    return connection.finish(this, false);
  }

  /** Returns the face object of a class for this transaction, made once. */
  public <F> F face(Class<F> type, java.util.function.Supplier<F> make) {
    return faces.get(type, make);
  }

  @Override
  public String toString() {
    return (savepoint != null ? "Savepoint(" + savepoint + ")" : "Transaction")
        + (active ? "" : " (inactive)");
  }
}
