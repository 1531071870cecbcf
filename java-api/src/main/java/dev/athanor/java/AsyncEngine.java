package dev.athanor.java;

import dev.athanor.engine.Engine;
import dev.athanor.engine.EngineEvents;
import dev.athanor.engine.EngineOptions;
import dev.athanor.engine.EngineUrl;
import dev.athanor.engine.PoolStatus;
import dev.athanor.engine.internal.CoreFaces;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.ExecutionOptions;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The Java face of an {@link Engine}: a pool of connections with {@link CompletionStage}s.
 *
 * <pre>{@code
 * AsyncEngine engine = AsyncEngine.create("h2:mem:///test");
 * engine.begin(conn -> conn.execute(insert(users).values(Map.of("name", "jack"))))
 *     .thenCompose(r -> engine.dispose());
 * }</pre>
 */
public final class AsyncEngine {
  private final Engine core;

  private AsyncEngine(Engine core) {
    this.core = core;
  }

  /** Returns the Java face of a core engine; the same engine always gives the same face. */
  public static AsyncEngine of(Engine core) {
    return CoreFaces.of(core, AsyncEngine.class, () -> new AsyncEngine(core));
  }

  /** Creates an engine with default options (SQLAlchemy's {@code create_async_engine}). */
  public static AsyncEngine create(String url) {
    return of(Engine.create(url));
  }

  /** Creates an engine with options. */
  public static AsyncEngine create(String url, EngineOptions options) {
    return of(Engine.create(url, options));
  }

  /**
   * Creates an engine over a driver {@code ConnectionFactory} (or a ready pool) of the program's
   * own (SQLAlchemy's {@code creator}); see {@link Engine#create(String, EngineOptions,
   * io.r2dbc.spi.ConnectionFactory)}.
   */
  public static AsyncEngine create(
      String url, EngineOptions options, io.r2dbc.spi.ConnectionFactory factory) {
    return of(Engine.create(url, options, factory));
  }

  /**
   * Creates an engine whose new driver connections come from {@code asyncCreator} (SQLAlchemy's
   * {@code async_creator}), called once per connection the pool opens.
   */
  public static AsyncEngine create(
      String url,
      EngineOptions options,
      java.util.function.Supplier<? extends CompletionStage<? extends io.r2dbc.spi.Connection>>
          asyncCreator) {
    return of(Engine.create(url, options, () -> Mono.fromCompletionStage(asyncCreator::get)));
  }

  /** Creates an engine from a configuration map; see {@link Engine#fromConfig}. */
  public static AsyncEngine fromConfig(Map<String, ?> config, String prefix) {
    return of(Engine.fromConfig(config, prefix));
  }

  /** Returns the reactive core engine (the event target). */
  public Engine core() {
    return core;
  }

  /**
   * Checks out a connection; close it when done, or use {@link #connect(Function)}. Cancelling the
   * returned future while it waits leaves nothing checked out.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<AsyncConnection> connect() {
    return Futures.owned(
        core.connect().map(AsyncConnection::of), c -> c.core().close().subscribe());
  }

  /**
   * Returns a connection that is not checked out yet, without IO; {@link AsyncConnection#start()}
   * checks it out. Close it in a {@code finally}-like stage whatever the checkout does.
   */
  public AsyncConnection newConnection() {
    return AsyncConnection.of(core.newConnection());
  }

  /**
   * Runs {@code work} with a connection and always closes it; uncommitted work rolls back.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> connect(
      Function<AsyncConnection, ? extends CompletionStage<T>> work) {
    return core.<T>connect(c -> Mono.fromCompletionStage(() -> work.apply(AsyncConnection.of(c))))
        .toFuture();
  }

  /**
   * Runs {@code work} in a transaction: commits when its stage completes, rolls back when it fails
   * or the returned future is cancelled, and always returns the connection to the pool.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public <T> CompletionStage<@Nullable T> begin(
      Function<AsyncConnection, ? extends CompletionStage<T>> work) {
    return core.<T>begin(c -> Mono.fromCompletionStage(() -> work.apply(AsyncConnection.of(c))))
        .toFuture();
  }

  /**
   * Closes the pool's connections and gives the engine a fresh pool (SQLAlchemy's {@code
   * dispose()}); the engine goes on working.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> dispose() {
    return core.dispose().toFuture();
  }

  /**
   * Gives the engine a fresh pool; with {@code close = false} the old connections are dropped.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<@Nullable Void> dispose(boolean close) {
    return core.dispose(close).toFuture();
  }

  /** Returns an engine with other default execution options, sharing the pool. */
  public AsyncEngine executionOptions(ExecutionOptions options) {
    return of(core.executionOptions(options));
  }

  /** Returns the default execution options. */
  public ExecutionOptions getExecutionOptions() {
    return core.getExecutionOptions();
  }

  /**
   * Checks out a driver (R2DBC) connection; close it to return it.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}. Work already sent to the database is not cut
   * short: it runs to its end on the connection, the next operation waits behind it, and whatever
   * was not committed is rolled back before the connection is used again or goes back to the pool.
   */
  public CompletionStage<io.r2dbc.spi.Connection> rawConnection() {
    return core.rawConnection().toFuture();
  }

  /** Drops every compiled statement from the cache. */
  public void clearCompiledCache() {
    core.clearCompiledCache();
  }

  /** Returns the listeners. */
  public EngineEvents events() {
    return core.events();
  }

  /** Returns the dialect. */
  public Dialect dialect() {
    return core.dialect();
  }

  /** Returns the URL (its {@code toString()} hides the password). */
  public EngineUrl url() {
    return core.url();
  }

  /** Returns whether statements are logged. */
  public boolean echo() {
    return core.echo();
  }

  /** Turns statement logging on or off from the next statement on. */
  public void setEcho(boolean on) {
    core.setEcho(on);
  }

  /** Returns the pool's counters, or {@code null} without a pool. */
  public @Nullable PoolStatus poolStatus() {
    return core.poolStatus();
  }

  @Override
  public String toString() {
    return "AsyncEngine(" + core.url() + ")";
  }
}
