package dev.athanor.engine;

import dev.athanor.error.InvalidRequestException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The transactions of one connection, without IO: the outermost one, its savepoints (innermost
 * last), and the transactions whose scope blocks are running. {@link Connection} does the IO and
 * asks this stack what to end; every state change of a transaction happens here.
 */
final class TransactionStack {
  private volatile @Nullable Transaction root;
  private final Deque<Transaction> savepoints = new ArrayDeque<>(2);
  private int savepointCounter;

  /** The transactions whose scope blocks are running, outermost first. */
  private final List<Transaction> blocks = new CopyOnWriteArrayList<>();

  /** Returns the outermost transaction, or {@code null}. */
  @Nullable Transaction root() {
    return root;
  }

  /** Makes {@code t} the outermost transaction. */
  void begin(Transaction t) {
    root = t;
  }

  /** Forgets {@code t} as the outermost transaction if it still is (a BEGIN that failed). */
  void forget(Transaction t) {
    if (root == t) {
      root = null;
    }
    t.deactivate();
  }

  /** Returns a name for the next savepoint, unique on this connection. */
  synchronized String nextSavepointName() {
    return "athanor_sp_" + (++savepointCounter);
  }

  /** Adds a savepoint inside the innermost one. */
  synchronized void push(Transaction savepoint) {
    savepoints.addLast(savepoint);
  }

  /** Removes a savepoint whose SAVEPOINT failed. */
  synchronized void drop(Transaction savepoint) {
    savepoints.remove(savepoint);
    savepoint.deactivate();
  }

  /** Returns the innermost savepoint, or {@code null}. */
  synchronized @Nullable Transaction innermost() {
    return savepoints.peekLast();
  }

  /** Returns whether a savepoint is in progress. */
  synchronized boolean hasSavepoints() {
    return !savepoints.isEmpty();
  }

  /**
   * Ends a savepoint (released or rolled back to) and every savepoint begun inside it, which end
   * with it.
   */
  synchronized void endSavepoint(Transaction t, boolean commit) {
    while (!savepoints.isEmpty()) {
      Transaction top = savepoints.removeLast();
      top.deactivate(
          top == t
              ? (commit ? Transaction.End.COMMITTED : Transaction.End.ROLLED_BACK)
              : (commit ? Transaction.End.OUTER_COMMIT : Transaction.End.OUTER_ROLLBACK));
      if (top == t) {
        return;
      }
    }
  }

  /** Ends the outermost transaction {@code t} (committed or rolled back) and its savepoints. */
  void endRoot(Transaction t, boolean commit) {
    t.deactivate(commit ? Transaction.End.COMMITTED : Transaction.End.ROLLED_BACK);
    endSavepoints(commit ? Transaction.End.OUTER_COMMIT : Transaction.End.OUTER_ROLLBACK);
    if (root == t) {
      root = null;
    }
  }

  /** Ends every savepoint, each marked with {@code how}. */
  synchronized void endSavepoints(Transaction.End how) {
    savepoints.forEach(sp -> sp.deactivate(how));
    savepoints.clear();
  }

  /**
   * Ends everything (a connection that closes or was lost): returns the outermost transaction that
   * was in progress, or {@code null}.
   */
  @Nullable Transaction endAll(Transaction.End how) {
    Transaction t = root;
    root = null;
    endSavepoints(how);
    if (t != null) {
      t.deactivate(how);
    }
    return t;
  }

  /** Marks the start of {@code t}'s scope block. */
  void enterBlock(Transaction t) {
    blocks.add(t);
  }

  /** Marks the end of {@code t}'s scope block. */
  void exitBlock(Transaction t) {
    blocks.remove(t);
  }

  /**
   * Refuses an operation inside a scope block whose own transaction or savepoint already ended (it
   * would run outside the block's transaction).
   *
   * @throws InvalidRequestException naming the block and the fix
   */
  void checkBlocks(String op) {
    if (blocks.isEmpty()) {
      return;
    }
    for (Transaction t : blocks) {
      InvalidRequestException e = t.endedInBlock(op);
      if (e != null) {
        throw e;
      }
    }
  }
}
