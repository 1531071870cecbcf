package dev.athanor.java;

import dev.athanor.session.ScopedSession;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One session per scope (SQLAlchemy's {@code async_scoped_session}): {@code scopeKey} says which
 * scope the caller is in (a request id, the current thread), {@link #get()} gives its session and
 * {@link #remove()} closes and forgets it when the scope ends.
 */
public final class AsyncScopedSession {
  private final ScopedSession core;

  /** Keeps one session of {@code factory} per value of {@code scopeKey}. */
  public AsyncScopedSession(AsyncSessionMaker factory, Supplier<Object> scopeKey) {
    this.core = new ScopedSession(factory.core(), scopeKey);
  }

  /** Returns the reactive core registry of scoped sessions. */
  public ScopedSession core() {
    return core;
  }

  /** Returns the current scope's session, made on first use. */
  public AsyncSession get() {
    return AsyncSession.of(core.get());
  }

  /** Returns whether the current scope has a session. */
  public boolean has() {
    return core.has();
  }

  /**
   * Closes the current scope's session and forgets it.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> remove() {
    return core.remove().toFuture();
  }
}
