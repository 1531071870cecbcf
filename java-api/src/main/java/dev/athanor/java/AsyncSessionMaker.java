package dev.athanor.java;

import dev.athanor.session.SessionMaker;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Java face of a {@link SessionMaker} (SQLAlchemy's {@code async_sessionmaker}): makes sessions
 * with one configuration, and runs work in a session of its own.
 *
 * <pre>{@code
 * AsyncSessionMaker sessions = AsyncSessionMaker.of(engine);
 * sessions.begin(session -> { session.add(new User("sandy")); return session.flush(); });
 * }</pre>
 */
public final class AsyncSessionMaker {
  private final SessionMaker core;

  private AsyncSessionMaker(SessionMaker core) {
    this.core = core;
  }

  /** Makes sessions over an engine with SQLAlchemy's defaults (expire on commit, autoflush). */
  public static AsyncSessionMaker of(AsyncEngine engine) {
    return new AsyncSessionMaker(new SessionMaker(engine.core()));
  }

  /** Makes sessions over an engine with these settings. */
  public static AsyncSessionMaker of(
      AsyncEngine engine, boolean expireOnCommit, boolean autoflush) {
    return new AsyncSessionMaker(new SessionMaker(engine.core(), expireOnCommit, autoflush));
  }

  /** Returns the reactive core factory. */
  public SessionMaker core() {
    return core;
  }

  /** Returns the engine new sessions run on. */
  public AsyncEngine engine() {
    return AsyncEngine.of(core.engine());
  }

  /** Returns whether new sessions expire their objects on commit. */
  public boolean expireOnCommit() {
    return core.expireOnCommit();
  }

  /** Returns whether new sessions autoflush. */
  public boolean autoflush() {
    return core.autoflush();
  }

  /**
   * Binds mapped classes (or {@code Mapper}s, or tables) to engines other than the default: their
   * statements and flushes run there, and a session's transaction spans every engine it used (each
   * commits in turn; there is no two-phase commit). Replaces the binds set before; returns this.
   *
   * @throws dev.athanor.error.ArgumentException if a key is not a mapped class, a Mapper or a Table
   */
  public AsyncSessionMaker binds(java.util.Map<?, AsyncEngine> binds) {
    java.util.Map<Object, dev.athanor.engine.Engine> core = new java.util.LinkedHashMap<>();
    binds.forEach((k, v) -> core.put(k, v.core()));
    this.core.binds(core);
    return this;
  }

  /**
   * Sets the router asked first for each statement's engine ({@code null}: none); see {@link
   * AsyncBindRouter}. Returns this.
   */
  public AsyncSessionMaker router(@Nullable AsyncBindRouter router) {
    core.router(
        router == null
            ? null
            : request -> {
              AsyncEngine e = router.route(request);
              return e == null ? null : e.core();
            });
    return this;
  }

  /** Returns a new session. */
  public AsyncSession create() {
    return AsyncSession.of(core.create());
  }

  /** Changes the settings of the sessions made from now on; returns this. */
  public AsyncSessionMaker configure(
      AsyncEngine engine, boolean expireOnCommit, boolean autoflush) {
    core.configure(engine.core(), expireOnCommit, autoflush);
    return this;
  }

  /**
   * Runs {@code work} in a new session's transaction: commits when its stage completes, rolls back
   * when it fails or the returned stage is cancelled, and closes the session either way.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> begin(
      Function<AsyncSession, ? extends CompletionStage<T>> work) {
    return core.<T>begin(s -> Mono.fromCompletionStage(() -> work.apply(AsyncSession.of(s))))
        .toFuture();
  }

  /** Adds a listener that every session made here calls; the registration removes it. */
  public dev.athanor.session.Registration listen(AsyncSessionListener listener) {
    return core.events().add(AsyncSessionListener.core(listener));
  }
}
