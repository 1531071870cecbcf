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

  /** Made on the first savepoint: most connections never begin one. */
  private @Nullable Deque<Transaction> savepoints;

  private int savepointCounter;

  /**
   * The transactions whose scope blocks are running, outermost first; made on the first block
   * (under this stack's lock), read without it.
   */
  private volatile @Nullable List<Transaction> blocks;

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
    Deque<Transaction> s = savepoints;
    if (s == null) {
      s = new ArrayDeque<>(2);
      savepoints = s;
    }
    s.addLast(savepoint);
  }

  /** Removes a savepoint whose SAVEPOINT failed. */
  synchronized void drop(Transaction savepoint) {
    if (savepoints != null) {
      savepoints.remove(savepoint);
    }
    savepoint.deactivate();
  }

  /** Returns the innermost savepoint, or {@code null}. */
  synchronized @Nullable Transaction innermost() {
    return savepoints == null ? null : savepoints.peekLast();
  }

  /** Returns whether a savepoint is in progress. */
  synchronized boolean hasSavepoints() {
    return savepoints != null && !savepoints.isEmpty();
  }

  /**
   * Ends a savepoint (released or rolled back to) and every savepoint begun inside it, which end
   * with it.
   */
  synchronized void endSavepoint(Transaction t, boolean commit) {
    Deque<Transaction> s = savepoints;
    while (s != null && !s.isEmpty()) {
      Transaction top = s.removeLast();
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
    Deque<Transaction> s = savepoints;
    if (s != null) {
      s.forEach(sp -> sp.deactivate(how));
      s.clear();
    }
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
    List<Transaction> b = blocks;
    if (b == null) {
      synchronized (this) {
        b = blocks;
        if (b == null) {
          b = new CopyOnWriteArrayList<>();
          blocks = b;
        }
      }
    }
    b.add(t);
  }

  /** Marks the end of {@code t}'s scope block. */
  void exitBlock(Transaction t) {
    List<Transaction> b = blocks;
    if (b != null) {
      b.remove(t);
    }
  }

  /**
   * Refuses an operation inside a scope block whose own transaction or savepoint already ended (it
   * would run outside the block's transaction).
   *
   * @throws InvalidRequestException naming the block and the fix
   */
  void checkBlocks(String op) {
    List<Transaction> b = blocks;
    if (b == null || b.isEmpty()) {
      return;
    }
    for (Transaction t : b) {
      InvalidRequestException e = t.endedInBlock(op);
      if (e != null) {
        throw e;
      }
    }
  }
}
