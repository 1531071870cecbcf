package dev.athanor.engine;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.internal.FaceSlot;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A transaction on a {@link Connection}: the outermost one ({@link Connection#begin()}, or begun
 * automatically by the first statement), or a nested one, a SAVEPOINT ({@link
 * Connection#beginNested()}). Commit or roll back once: rolling back again does nothing, while
 * committing again, or rolling back what was committed (itself or by the transaction around it),
 * fails with {@link InvalidRequestException}.
 */
public final class Transaction {
  private final Connection connection;
  private final @Nullable String savepoint;
  final FaceSlot faces = new FaceSlot();
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

  /** How a transaction ended. */
  enum End {
    COMMITTED("was already committed", true),
    ROLLED_BACK("was already rolled back", false),
    OUTER_COMMIT("ended when the transaction around it committed", true),
    OUTER_ROLLBACK("ended when the transaction around it rolled back", false),
    CLOSED("ended when its connection closed", false);

    final String text;
    final boolean byCommit;

    End(String text, boolean byCommit) {
      this.text = text;
      this.byCommit = byCommit;
    }
  }

  private volatile @Nullable End end;

  void deactivate() {
    deactivate(End.ROLLED_BACK);
  }

  void deactivate(End how) {
    if (active) {
      end = how;
    }
    active = false;
  }

  /**
   * Returns the error for committing or rolling back again, or {@code null} when that is a no-op
   * (rolling back what was already rolled back).
   */
  @Nullable InvalidRequestException reuseError(boolean commit) {
    End e = end;
    if (e == null || (!commit && !e.byCommit)) {
      return null;
    }
    String what = savepoint != null ? "This savepoint" : "This transaction";
    return new InvalidRequestException(
        what
            + " "
            + e.text
            + ", so "
            + (commit ? "commit()" : "rollback()")
            + " cannot run on it. "
            + (savepoint != null
                ? "Begin a new savepoint with beginNested() for more work."
                : "Begin a new transaction with begin() for more work."));
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

  /**
   * Marks this transaction as the one of a scope block ({@code begin { }}, {@code beginNested { }}
   * in Kotlin, {@code begin(fn)} in Java) until {@link #exitBlock()}: while the block runs, a
   * statement on the connection after this transaction ended inside the block (an early {@code
   * commit()} or {@code rollback()}) fails instead of silently running outside it. The scope
   * functions call these two; a program does not need to.
   */
  public void enterBlock() {
    connection.enterBlock(this);
  }

  /** Ends what {@link #enterBlock()} began. */
  public void exitBlock() {
    connection.exitBlock(this);
  }

  /** Returns why a statement cannot run inside this ended block's scope, or {@code null}. */
  @Nullable InvalidRequestException endedInBlock(String op) {
    End e = end;
    if (active || e == null) {
      return null;
    }
    boolean nested = savepoint != null;
    return new InvalidRequestException(
        "The "
            + (nested
                ? "savepoint of the beginNested { } block"
                : "transaction of the begin { } block")
            + " around this call "
            + e.text
            + " inside the block, so "
            + op
            + "() cannot run: it would run outside the block's "
            + (nested ? "savepoint" : "transaction")
            + ". Let the block end before running more statements, or do not end its "
            + (nested ? "savepoint" : "transaction")
            + " inside it.");
  }

  @Override
  public String toString() {
    return (savepoint != null ? "Savepoint(" + savepoint + ")" : "Transaction")
        + (active ? "" : " (inactive)");
  }
}
