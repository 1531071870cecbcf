package dev.athanor.session;

import dev.athanor.engine.BlockClaim;
import dev.athanor.engine.Transaction;
import dev.athanor.engine.internal.CallerFlow;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.util.Loggers;

/**
 * One savepoint level being opened on the session's connections, and what a cancellation leaves to
 * end: the claims on the SAVEPOINTs begun for it (one per connection), and whether the level opened
 * (then the session ends it like any other) or its caller left first (then its savepoints are
 * rolled back here, before the connection's next operation).
 */
final class SavepointOpening {
  private final @Nullable BlockClaim<SessionTransaction> caller;
  private final List<BlockClaim<Transaction>> claims = new ArrayList<>(1);
  private boolean opened;
  private boolean ended;

  /**
   * @param caller the claim of a block that may leave before the level opens, or null
   */
  SavepointOpening(@Nullable BlockClaim<SessionTransaction> caller) {
    this.caller = caller;
    if (caller != null) {
      // The caller leaving while a SAVEPOINT is on its way ends the level's savepoints there and
      // then, before the caller's next operation.
      caller.whenLeft(this::cancel);
    }
  }

  /** A claim for the SAVEPOINT of the next connection (one left already once this has ended). */
  synchronized BlockClaim<Transaction> claim() {
    BlockClaim<Transaction> c = new BlockClaim<>();
    claims.add(c);
    if (ended) {
      c.leave();
    }
    return c;
  }

  /**
   * Every SAVEPOINT began: opens level {@code st} ({@code opens}) and returns true, or returns
   * false if its caller left first (its savepoints are then rolled back).
   */
  boolean open(SessionTransaction st, Runnable opens) {
    synchronized (this) {
      if (ended) {
        return false;
      }
      if (caller == null) {
        opens.run();
        opened = true;
        return true;
      }
      // The level opens before the caller can take it: a caller leaving now rolls back an open
      // level, never one still about to open.
      if (caller.begun(st, opens)) {
        opened = true;
        return true;
      }
      ended = true;
    }
    rollBackBegun();
    return false;
  }

  /**
   * The opening was cancelled, or its caller left: unless the level opened, its savepoints are
   * rolled back.
   */
  void cancel() {
    synchronized (this) {
      if (opened || ended) {
        return;
      }
      ended = true;
    }
    rollBackBegun();
  }

  /**
   * Rolls back each savepoint begun for the level, behind its SAVEPOINT; one still on its way rolls
   * itself back (see {@link BlockClaim}).
   */
  private void rollBackBegun() {
    List<BlockClaim<Transaction>> all;
    synchronized (this) {
      all = List.copyOf(claims);
    }
    for (BlockClaim<Transaction> claim : all) {
      Transaction t = claim.leave();
      if (t != null && t.isActive()) {
        t.rollback()
            // Nobody awaits this rollback: the session's next operation queues behind it.
            .contextWrite(c -> c.put(CallerFlow.KEY, CallerFlow.cleanUp()))
            .subscribe(
                v -> {},
                e ->
                    Loggers.getLogger(SavepointOpening.class)
                        .warn("The rollback of a cancelled savepoint failed", e));
      }
    }
  }
}
