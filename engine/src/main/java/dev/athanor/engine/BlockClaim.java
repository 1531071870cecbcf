package dev.athanor.engine;

import org.jspecify.annotations.Nullable;

/**
 * A transaction block's claim on the transaction (or savepoint) its begin starts, for a block whose
 * caller can be cancelled before the begin has answered ({@link Connection#begin(BlockClaim)}, a
 * session's {@code beginNested(claim)}).
 *
 * <p>A begin runs to its end even when its caller stops waiting for it, so a cancelled block could
 * leave a transaction or savepoint open on a connection its caller keeps, with nobody to end it.
 * The claim settles who ends it: if the block left before the begin answered, the begin ends what
 * it began itself, in the same operation, so the connection's next operation finds nothing of it;
 * if the block leaves afterwards, {@link #leave()} hands the transaction to the block to roll back.
 *
 * <p>The scope functions ({@code begin { }} in Kotlin, {@code begin(work)} in Java) use this; a
 * program does not need to.
 *
 * @param <T> the transaction type: a connection's or a session's
 */
public final class BlockClaim<T> {
  private @Nullable T begun;
  private boolean left;
  private @Nullable Runnable whenLeft;

  /** A claim for one block. */
  public BlockClaim() {}

  /**
   * The begin answered with {@code t}: returns true if the block still waits (it ends {@code t}),
   * false if it left (the begin ends {@code t} itself).
   */
  public synchronized boolean begun(T t) {
    if (left) {
      return false;
    }
    begun = t;
    return true;
  }

  /**
   * {@link #begun(Object)}, running {@code first} (what makes {@code t} usable) before a {@link
   * #leave()} can hand {@code t} over, and only if the block still waits.
   */
  public synchronized boolean begun(T t, Runnable first) {
    if (left) {
      return false;
    }
    first.run();
    begun = t;
    return true;
  }

  /**
   * Runs {@code r} when the block leaves before anything began for it, or at once if it has left:
   * for a begin made of several (a session's savepoint on each of its connections), so that it ends
   * what it began as the block leaves.
   */
  public void whenLeft(Runnable r) {
    synchronized (this) {
      if (!left) {
        whenLeft = r;
        return;
      }
    }
    r.run();
  }

  /**
   * The block leaves before its work started (its caller was cancelled): returns the transaction
   * begun for it, which the block must roll back, or {@code null} when none began or the begin,
   * still running, ends it itself.
   */
  public @Nullable T leave() {
    T t;
    Runnable r;
    synchronized (this) {
      left = true;
      t = begun;
      begun = null;
      r = t == null ? whenLeft : null;
      whenLeft = null;
    }
    if (r != null) {
      r.run();
    }
    return t;
  }
}
