package dev.athanor.session;

import dev.athanor.engine.Engine;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Makes sessions with one configuration (SQLAlchemy's {@code sessionmaker} / {@code
 * async_sessionmaker}): the engine, {@code expireOnCommit} and {@code autoflush}. {@link #begin}
 * runs work in a session of its own that commits, rolls back and closes by itself.
 */
public final class SessionMaker {
  private volatile Engine engine;
  private volatile boolean expireOnCommit;
  private volatile boolean autoflush;
  private volatile Map<Object, Engine> binds = Map.of();
  private volatile @Nullable BindRouter router;

  /** What the settings above resolve to, shared by every session made (it is immutable). */
  private volatile SessionBinds resolved;

  private final SessionEvents events = new SessionEvents(null);

  /**
   * Makes sessions over {@code engine} with SQLAlchemy's defaults (expire on commit, autoflush).
   */
  public SessionMaker(Engine engine) {
    this(engine, true, true);
  }

  /** Makes sessions over {@code engine} with these settings. */
  public SessionMaker(Engine engine, boolean expireOnCommit, boolean autoflush) {
    this.engine = engine;
    this.resolved = SessionBinds.of(engine, binds, router);
    this.expireOnCommit = expireOnCommit;
    this.autoflush = autoflush;
  }

  /** Returns a new session. */
  public Session create() {
    return new Session(resolved, expireOnCommit, autoflush, events);
  }

  /**
   * Changes the settings of the sessions made from now on (SQLAlchemy's {@code configure}). Returns
   * this.
   */
  public SessionMaker configure(Engine engine, boolean expireOnCommit, boolean autoflush) {
    this.engine = engine;
    this.resolved = SessionBinds.of(engine, binds, router);
    this.expireOnCommit = expireOnCommit;
    this.autoflush = autoflush;
    return this;
  }

  /**
   * Binds mapped classes or tables to engines other than the default (SQLAlchemy's {@code binds}):
   * statements and flushes about a class (or a subclass of it), or about a table, run on its
   * engine, and a session's transaction spans every engine it used (each commits in turn; there is
   * no two-phase commit). Keys are mapped classes, {@link Mapper}s or {@link
   * dev.athanor.sql.Table}s; the map replaces the one set before. Returns this.
   *
   * @throws dev.athanor.error.ArgumentException if a key is none of those
   */
  public SessionMaker binds(Map<?, ? extends Engine> binds) {
    this.resolved = SessionBinds.of(engine, binds, router); // checks the keys now
    this.binds = Map.copyOf(binds);
    return this;
  }

  /** Returns the binds set with {@link #binds(Map)}. */
  public Map<Object, Engine> binds() {
    return binds;
  }

  /**
   * Sets the router asked first for each statement's engine ({@code null}: none); see {@link
   * BindRouter}. Returns this.
   */
  public SessionMaker router(@Nullable BindRouter router) {
    this.router = router;
    this.resolved = SessionBinds.of(engine, binds, router);
    return this;
  }

  /** Returns the router, or {@code null}. */
  public @Nullable BindRouter router() {
    return router;
  }

  /** Returns the listeners every session made here calls (beside its own and the global ones). */
  public SessionEvents events() {
    return events;
  }

  /** Returns the engine new sessions run on. */
  public Engine engine() {
    return engine;
  }

  /** Returns whether new sessions expire their objects on commit. */
  public boolean expireOnCommit() {
    return expireOnCommit;
  }

  /** Returns whether new sessions autoflush. */
  public boolean autoflush() {
    return autoflush;
  }

  /**
   * Runs {@code work} in a new session's transaction: commits when it completes, rolls back when it
   * fails or is cancelled, and closes the session either way.
   */
  public <T> Mono<T> begin(Function<Session, ? extends Publisher<T>> work) {
    return Mono.usingWhen(
        Mono.fromSupplier(this::create),
        s -> s.begin(work),
        Session::close,
        (s, e) -> s.close(),
        Session::close);
  }
}
