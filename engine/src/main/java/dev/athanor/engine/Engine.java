package dev.athanor.engine;

import dev.athanor.engine.internal.CompiledCache;
import dev.athanor.engine.internal.DriverSetup;
import dev.athanor.engine.internal.ErrorTranslator;
import dev.athanor.error.OperationalException;
import dev.athanor.result.internal.FaceSlot;
import dev.athanor.sql.CompiledStatement;
import dev.athanor.sql.Dialect;
import dev.athanor.sql.Executable;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.StatementShape;
import io.r2dbc.pool.ConnectionPool;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The entry point: a pool of connections to one database, and the dialect and options they use.
 * Reactive core of SQLAlchemy's {@code AsyncEngine}; the Kotlin and Java faces wrap it.
 *
 * <pre>{@code
 * Engine engine = Engine.create("h2:mem:///test");
 * engine.begin(conn -> conn.execute(insert(users).values(Map.of("name", "jack")))).block();
 * }</pre>
 *
 * <p>Engines made by {@link #executionOptions} share the pool, cache and listeners; {@link
 * #dispose()} on any of them replaces the pool for all.
 */
public final class Engine {
  static {
    dev.athanor.engine.internal.CoreFaces.register(FaceSlots::of);
  }

  private final Shared shared;
  private final ExecutionOptions executionOptions;
  final FaceSlot faces = new FaceSlot();

  private static final class Shared {
    final EngineUrl url;
    final EngineOptions options;

    /** The driver's factory and pool; {@link #dispose} puts a fresh one in place. */
    volatile DriverSetup driver;

    final CompiledCache cache;
    final EngineEvents events = new EngineEvents();

    /** Whether statements are logged; starts as the option, settable while running. */
    volatile boolean echo;

    /** Clean-up statements still running after their connection went back to the pool. */
    final java.util.concurrent.atomic.AtomicInteger background =
        new java.util.concurrent.atomic.AtomicInteger();

    /** The program's own driver factory or pool (SQLAlchemy's {@code creator}), or null. */
    final io.r2dbc.spi.@Nullable ConnectionFactory creator;

    Shared(EngineUrl url, EngineOptions options, io.r2dbc.spi.@Nullable ConnectionFactory creator) {
      this.url = url;
      this.options = options;
      this.creator = creator;
      this.cache = new CompiledCache(options.compiledCacheSize());
      this.echo = options.echo();
      this.driver = newDriver();
    }

    DriverSetup newDriver() {
      return DriverSetup.create(
          url,
          options,
          c -> {
            if (events.isEmpty()) {
              return Mono.empty();
            }
            events.fire(l -> l.onConnect(c));
            Mono<Void> work = events.fireAsync(l -> l.onConnectAsync(c));
            return work == null ? Mono.empty() : work;
          },
          creator);
    }
  }

  private Engine(Shared shared, ExecutionOptions executionOptions) {
    this.shared = shared;
    this.executionOptions = executionOptions;
  }

  /**
   * Creates an engine with default options; nothing connects until the first {@link #connect()}.
   */
  public static Engine create(String url) {
    return create(url, EngineOptions.defaults());
  }

  /**
   * Creates an engine.
   *
   * @throws dev.athanor.error.ArgumentException for a malformed URL or bad option
   */
  public static Engine create(String url, EngineOptions options) {
    EngineUrl u = EngineUrl.parse(url);
    return new Engine(new Shared(u, options, null), options.executionOptions());
  }

  /**
   * Creates an engine over a driver {@code ConnectionFactory} the program made (SQLAlchemy's {@code
   * creator}: for its own SSL set-up, IAM tokens, proxies): the URL only names the dialect ({@code
   * postgresql://...} or {@code h2:...}), and connections come from {@code factory}, pooled by the
   * engine's options. A ready {@code io.r2dbc.pool.ConnectionPool} is used as it is: the engine
   * neither pools it again nor closes it on {@link #dispose()}, and {@link
   * EngineListener#onConnect} is not fired for its connections.
   *
   * @throws dev.athanor.error.ArgumentException for a malformed URL or bad option
   */
  public static Engine create(
      String url, EngineOptions options, io.r2dbc.spi.ConnectionFactory factory) {
    EngineUrl u = EngineUrl.parse(url);
    return new Engine(new Shared(u, options, factory), options.executionOptions());
  }

  /**
   * Creates an engine whose every new driver connection comes from {@code asyncCreator}
   * (SQLAlchemy's {@code async_creator}), called once per connection the pool opens; its errors
   * reach callers as the driver's do ({@link OperationalException} naming the cause).
   */
  public static Engine create(
      String url,
      EngineOptions options,
      java.util.function.Supplier<? extends Publisher<? extends io.r2dbc.spi.Connection>>
          asyncCreator) {
    EngineUrl u = EngineUrl.parse(url);
    io.r2dbc.spi.ConnectionFactory factory =
        new io.r2dbc.spi.ConnectionFactory() {
          @Override
          public Publisher<? extends io.r2dbc.spi.Connection> create() {
            return Mono.defer(() -> Mono.from(asyncCreator.get()));
          }

          @Override
          public io.r2dbc.spi.ConnectionFactoryMetadata getMetadata() {
            return () -> u.driver().name().toLowerCase(java.util.Locale.ROOT);
          }
        };
    return create(url, options, factory);
  }

  /**
   * Creates an engine from a configuration map (SQLAlchemy's {@code async_engine_from_config}):
   * {@code prefix + "url"} is the URL, other keys are options (see {@link
   * EngineOptions#fromConfig}).
   */
  public static Engine fromConfig(Map<String, ?> config, String prefix) {
    Object url = config.get(prefix + "url");
    if (url == null) {
      throw new dev.athanor.error.ArgumentException(
          "The configuration has no '" + prefix + "url' entry.");
    }
    return create(String.valueOf(url), EngineOptions.fromConfig(config, prefix));
  }

  /**
   * Checks out a connection. Close it when done ({@link Connection#close()}), or use {@link
   * #connect(Function)}, which always does.
   */
  public Mono<Connection> connect() {
    return Mono.defer(() -> {
      Connection c = newConnection();
      // Cancelling before the connection is handed over gives it back to the pool (start() does
      // that while it waits; this covers the moment between its arrival and the hand-over).
      java.util.concurrent.atomic.AtomicBoolean handedOver =
          new java.util.concurrent.atomic.AtomicBoolean();
      return c.start()
          .doOnNext(x -> handedOver.set(true))
          .doOnCancel(() -> {
            if (!handedOver.get()) {
              c.close().subscribe();
            }
          });
    });
  }

  /**
   * Returns a connection that is not checked out yet, without IO: {@link Connection#start()} checks
   * it out. Holding the object before any IO lets a program close it in a {@code finally} whatever
   * happens during the checkout (SQLAlchemy's {@code engine.connect()} followed by {@code await
   * conn.start()}).
   */
  public Connection newConnection() {
    return new Connection(this);
  }

  /** Checks a driver connection out of the pool. */
  Mono<io.r2dbc.spi.Connection> acquire() {
    return Mono.defer(() -> {
      // A pooled connection that fails its check on checkout (its server session ended while it
      // was idle) is discarded by the pool; take another rather than fail the caller, as many
      // times as the pool may hold connections.
      DriverSetup driver = shared.driver;
      if (shared.options.poolTimeout().isZero() && driver.pool() != null && poolIsFull(driver)) {
        return Mono.error(
            new dev.athanor.error.PoolTimeoutException(
                "No pooled connection is free and the pool is at its limit (poolSize "
                    + shared.options.poolSize()
                    + " + maxOverflow "
                    + shared.options.maxOverflow()
                    + "), and poolTimeout is 0, so connect() fails at once; raise poolTimeout to "
                    + "wait, or poolSize/maxOverflow.",
                new java.util.concurrent.TimeoutException("poolTimeout 0")));
      }
      return create(driver, shared.options.poolSize() + (long) shared.options.maxOverflow());
    });
  }

  /**
   * Asks the driver (or the pool) for a connection; one that failed its check is replaced while
   * {@code retriesLeft} allows. (An error handler rather than a retry operator: that one builds a
   * companion sink and subscription for every checkout, and checkouts rarely fail.)
   */
  private Mono<io.r2dbc.spi.Connection> create(DriverSetup driver, long retriesLeft) {
    Mono<io.r2dbc.spi.Connection> attempt = Mono.from(driver.factory().create());
    return attempt.onErrorResume(e ->
        retriesLeft > 0 && isStaleCheckout(e)
            ? create(driver, retriesLeft - 1)
            : Mono.error(connectError(e)));
  }

  /**
   * How long a checkout waits for the engine's pool before failing with {@link
   * dev.athanor.error.PoolTimeoutException}, or {@code null} when the engine has no pool of its own
   * (the driver's connect timeout, or the program's own pool, limits the wait then). Zero (fail at
   * once when the pool is full, checked before asking) leaves only the wait for a new connection to
   * open, limited a second beyond the connect timeout.
   */
  java.time.@Nullable Duration acquireLimit() {
    if (shared.driver.pool() == null) {
      return null;
    }
    java.time.Duration t = shared.options.poolTimeout();
    return t.isZero() ? shared.options.connectTimeout().plusSeconds(1) : t;
  }

  /** The error of a checkout that waited {@link #acquireLimit()} in vain. */
  dev.athanor.error.PoolTimeoutException poolTimeout(java.time.Duration waited) {
    return new dev.athanor.error.PoolTimeoutException(
        "Timed out after "
            + waited.toMillis()
            + " ms waiting for a pooled connection (poolSize "
            + shared.options.poolSize()
            + " + maxOverflow "
            + shared.options.maxOverflow()
            + " in use); raise poolSize/maxOverflow or poolTimeout, or look for connections that "
            + "are never closed.",
        new java.util.concurrent.TimeoutException("poolTimeout " + waited));
  }

  private static boolean poolIsFull(DriverSetup driver) {
    ConnectionPool pool = driver.pool();
    return pool != null
        && pool.getMetrics()
            .map(m -> m.idleSize() == 0 && m.allocatedSize() >= m.getMaxAllocatedSize())
            .orElse(false);
  }

  private static boolean isStaleCheckout(Throwable e) {
    return e instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
        && String.valueOf(e.getMessage()).contains("validation failed");
  }

  void fireCheckout(Connection c) {
    shared.events.fire(l -> l.onCheckout(c));
  }

  /** The listeners' IO for a checkout, in order, or {@code null} when no listener is registered. */
  @Nullable Mono<Void> checkoutWork(Connection c) {
    return shared.events.isEmpty() ? null : shared.events.fireAsync(l -> l.onCheckoutAsync(c));
  }

  private Throwable connectError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DriverSetup.ListenerFailure f && f.getCause() != null) {
        return f.getCause(); // a listener's own error, as it threw it
      }
    }
    Throwable t = ErrorTranslator.translate(e, null, null, false);
    if (t instanceof dev.athanor.error.PoolTimeoutException) {
      return t;
    }
    String msg = String.valueOf(e.getMessage());
    String hint =
        msg.contains("too many clients")
            ? "\nThe server has no free connection slots: lower poolSize + maxOverflow across your "
                + "engines, or raise the server's max_connections."
            : "\nCheck that the server is running and the URL, user and password are right.";
    return new OperationalException(
        "(OperationalException) Could not connect to " + shared.url + ": " + msg + hint,
        e,
        null,
        null,
        null,
        null,
        false);
  }

  /**
   * Runs {@code work} with a connection and closes it afterwards, whatever happens (success, error,
   * cancellation); what was not committed is rolled back.
   */
  public <T> Mono<T> connect(Function<Connection, ? extends Publisher<T>> work) {
    // The connection object exists before any IO, so that closing it covers every moment of the
    // checkout too: a cancelled caller never leaves a driver connection checked out.
    return Mono.usingWhen(
        Mono.fromSupplier(this::newConnection),
        c -> c.start().then(Mono.defer(() -> Mono.from(work.apply(c)))),
        Connection::close,
        (c, err) -> c.close(),
        Connection::close);
  }

  /**
   * Runs {@code work} in a transaction: begins, commits when {@code work} completes, rolls back
   * when it fails or is cancelled, and always returns the connection to the pool.
   */
  public <T> Mono<T> begin(Function<Connection, ? extends Publisher<T>> work) {
    return connect(c -> c.begin(t -> work.apply(c)));
  }

  /**
   * Closes every connection in the pool and gives the engine a fresh, empty pool, as SQLAlchemy's
   * {@code dispose()} does: the engine goes on working, and its next {@link #connect()} opens a new
   * connection. Connections checked out now keep working and are closed when they are returned.
   */
  public Mono<Void> dispose() {
    return dispose(true);
  }

  /**
   * Gives the engine a fresh, empty pool. With {@code close = false} the old pool's connections are
   * not closed, only dropped (SQLAlchemy's {@code dispose(close=False)}: for a process that must
   * not touch connections it inherited); with {@code true}, see {@link #dispose()}.
   */
  public Mono<Void> dispose(boolean close) {
    return Mono.defer(() -> {
      DriverSetup old;
      synchronized (shared) {
        old = shared.driver;
        shared.driver = shared.newDriver();
      }
      return close ? awaitBackground().then(old.dispose()) : Mono.empty();
    });
  }

  /** Runs clean-up work (a ROLLBACK on return) that nobody waits for, but dispose() does. */
  void runInBackground(Mono<Void> work) {
    shared.background.incrementAndGet();
    work.doFinally(s -> shared.background.decrementAndGet()).subscribe(v -> {}, e -> {});
  }

  private Mono<Void> awaitBackground() {
    if (shared.background.get() == 0) {
      return Mono.empty();
    }
    // Rare and short (one round trip): poll rather than keep a signal per operation.
    return Flux.interval(java.time.Duration.ofMillis(1))
        .takeUntil(i -> shared.background.get() == 0)
        .then()
        .timeout(java.time.Duration.ofSeconds(5), Mono.empty());
  }

  /**
   * Returns an engine with other default execution options that shares this one's pool, cache and
   * listeners.
   */
  public Engine executionOptions(ExecutionOptions options) {
    return new Engine(shared, executionOptions.merge(options));
  }

  /** Returns the default execution options of this engine's connections. */
  public ExecutionOptions getExecutionOptions() {
    return executionOptions;
  }

  /** Checks out a driver (R2DBC) connection, bypassing Athanor; close it to return it. */
  public Mono<io.r2dbc.spi.Connection> rawConnection() {
    return connect().map(Connection::getRawConnection);
  }

  /** Drops every compiled statement from the cache. */
  public void clearCompiledCache() {
    shared.cache.clear();
  }

  /** Returns the number of statements in the compiled cache. */
  public int compiledCacheSize() {
    return shared.cache.size();
  }

  /** Returns how often the compiled cache answered and how often it compiled. */
  public long[] compiledCacheHitsAndMisses() {
    return new long[] {shared.cache.hits(), shared.cache.misses()};
  }

  /** Returns this engine's listeners. */
  public EngineEvents events() {
    return shared.events;
  }

  /** Returns the dialect. */
  public Dialect dialect() {
    return shared.driver.dialect();
  }

  /** Returns the URL (its {@code toString()} hides the password). */
  public EngineUrl url() {
    return shared.url;
  }

  /** Returns whether statements are logged (SLF4J logger {@code dev.athanor.engine}). */
  public boolean echo() {
    return shared.echo;
  }

  /**
   * Turns statement logging on or off for this engine (and those sharing its pool) from the next
   * statement on, as setting SQLAlchemy's {@code engine.echo} does.
   */
  public void setEcho(boolean on) {
    shared.echo = on;
  }

  /** Returns the options the engine was made with. */
  public EngineOptions options() {
    return shared.options;
  }

  /** Returns the pool's counters, or {@code null} without a pool. */
  public @Nullable PoolStatus poolStatus() {
    ConnectionPool pool = shared.driver.pool();
    if (pool == null) {
      return null;
    }
    return pool.getMetrics()
        .map(m ->
            new PoolStatus(
                m.acquiredSize(),
                m.idleSize(),
                m.allocatedSize(),
                m.pendingAcquireSize(),
                m.getMaxAllocatedSize(),
                shared.options.poolSize()))
        .orElse(null);
  }

  CompiledCache.Entry compiled(
      Executable statement, StatementShape shape, Set<String> parameterNames) {
    Dialect d = dialect();
    if (statement.compilesPerParameters()) {
      Set<String> names = Set.copyOf(parameterNames);
      return shared.cache.entry(
          new KeyWithNames(shape.key(), names), () -> statement.compile(d, names, shape));
    }
    CompiledCache.Entry hit = shared.cache.hit(shape.key());
    return hit != null
        ? hit
        : shared.cache.entry(shape.key(), () -> statement.compile(d, null, shape));
  }

  /** Compiles (or finds) an executemany INSERT rendered with {@code rows} rows of VALUES. */
  CompiledStatement compiledManyValues(
      dev.athanor.sql.Insert insert, StatementShape shape, Set<String> parameterNames, int rows) {
    return compiledMany(
        shape,
        parameterNames,
        rows,
        (d, names) -> dev.athanor.sql.internal.ManyValues.compile(insert, d, names, shape, rows));
  }

  /** Compiles (or finds) an executemany UPDATE by key rendered with {@code rows} rows of VALUES. */
  CompiledStatement compiledUpdateManyValues(
      dev.athanor.sql.Update update, StatementShape shape, Set<String> parameterNames, int rows) {
    return compiledMany(
        shape,
        parameterNames,
        rows,
        (d, names) ->
            dev.athanor.sql.internal.ManyValues.compileUpdate(update, d, names, shape, rows));
  }

  private CompiledStatement compiledMany(
      StatementShape shape,
      Set<String> parameterNames,
      int rows,
      java.util.function.BiFunction<Dialect, Set<String>, CompiledStatement> compile) {
    Dialect d = dialect();
    Set<String> names = Set.copyOf(parameterNames);
    return shared.cache.get(
        new ManyValuesKey(shape.key(), names, rows), () -> compile.apply(d, names));
  }

  /** The key of a statement whose SQL also depends on the execution's parameter names. */
  private record KeyWithNames(Object shape, Set<String> names) {}

  /** The key of an executemany INSERT compiled with several rows of VALUES. */
  private record ManyValuesKey(Object shape, Set<String> names, int rows) {}

  @Override
  public String toString() {
    return "Engine(" + shared.url + ")";
  }
}
