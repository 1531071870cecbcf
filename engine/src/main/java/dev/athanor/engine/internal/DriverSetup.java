package dev.athanor.engine.internal;

import dev.athanor.engine.EngineOptions;
import dev.athanor.engine.EngineUrl;
import dev.athanor.error.ArgumentException;
import dev.athanor.sql.Dialect;
import io.r2dbc.h2.H2ConnectionConfiguration;
import io.r2dbc.h2.H2ConnectionFactory;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.ValidationDepth;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/** Builds the driver's connection factory (and pool) for a URL. */
public final class DriverSetup {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final ConnectionFactory factory;
  private final @Nullable ConnectionPool pool;
  private final Dialect dialect;

  /** Whether {@link #dispose()} closes the pool (not for a pool the program handed over). */
  private final boolean ownsPool;

  private DriverSetup(
      ConnectionFactory factory, @Nullable ConnectionPool pool, Dialect dialect, boolean ownsPool) {
    this.factory = factory;
    this.pool = pool;
    this.dialect = dialect;
    this.ownsPool = ownsPool;
  }

  /**
   * Creates the driver objects; nothing connects yet.
   *
   * @param onConnect called with each new driver connection
   */
  public static DriverSetup create(
      EngineUrl url,
      EngineOptions options,
      java.util.function.Function<Connection, org.reactivestreams.Publisher<Void>> onConnect) {
    return create(url, options, onConnect, null);
  }

  /**
   * Creates the driver objects over a factory the program made (SQLAlchemy's {@code creator}): the
   * URL then only names the dialect. A ready {@link ConnectionPool} is used as it is, and not
   * closed by {@link #dispose()}, since the program owns it.
   */
  public static DriverSetup create(
      EngineUrl url,
      EngineOptions options,
      java.util.function.Function<Connection, org.reactivestreams.Publisher<Void>> onConnect,
      @Nullable ConnectionFactory given) {
    Dialect urlDialect =
        url.driver() == EngineUrl.Driver.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.H2;
    if (given instanceof ConnectionPool ready) {
      return new DriverSetup(ready, ready, urlDialect, false);
    }
    ConnectionFactory raw;
    Dialect dialect;
    if (given != null) {
      raw = given;
      dialect = urlDialect;
    } else if (url.driver() == EngineUrl.Driver.POSTGRESQL) {
      LoopResources shared = SharedLoops.forThreads(options.eventLoopThreads());
      raw = ConnectionFactories.get(postgresOptions(url, options, shared));
      dialect = Dialect.POSTGRESQL;
    } else {
      raw = new H2ConnectionFactory(h2Configuration(url));
      dialect = Dialect.H2;
    }
    // Wrap the driver's factory to see each new connection: r2dbc-pool's postAllocate hook runs
    // on every acquire, not only on allocation.
    ConnectionFactory plain = raw;
    ConnectionFactory notifying =
        new ConnectionFactory() {
          @Override
          public org.reactivestreams.Publisher<? extends Connection> create() {
            return Mono.from(plain.create())
                .flatMap(c ->
                    Mono.from(onConnect.apply(c))
                        .thenReturn(c)
                        .onErrorResume(e ->
                            // A listener failed: this driver connection is not handed out.
                            Mono.from(c.close())
                                .onErrorResume(x -> Mono.empty())
                                .then(Mono.error(new ListenerFailure(e)))));
          }

          @Override
          public io.r2dbc.spi.ConnectionFactoryMetadata getMetadata() {
            return plain.getMetadata();
          }
        };
    if (!options.pooled()) {
      return new DriverSetup(notifying, null, dialect, true);
    }
    ConnectionPoolConfiguration.Builder b =
        ConnectionPoolConfiguration.builder(notifying)
            .name("athanor-" + COUNTER.incrementAndGet())
            .initialSize(0)
            .minIdle(0)
            .maxSize(options.poolSize() + options.maxOverflow())
            // No maxAcquireTime: the pool would start a timer (and build a description string)
            // for every acquire; the engine limits the wait itself, starting a timer only when
            // no connection was free at once (Engine.acquireLimit).
            .maxCreateConnectionTime(options.connectTimeout())
            .acquireRetry(0);
    if (options.poolRecycle() != null) {
      b.maxLifeTime(options.poolRecycle());
    }
    if (options.poolPrePing()) {
      b.validationQuery("SELECT 1");
    } else {
      b.validationDepth(ValidationDepth.LOCAL);
    }
    ConnectionPool pool = new ConnectionPool(b.build());
    return new DriverSetup(pool, pool, dialect, true);
  }

  private static ConnectionFactoryOptions postgresOptions(
      EngineUrl url, EngineOptions options, LoopResources loops) {
    ConnectionFactoryOptions.Builder b =
        ConnectionFactoryOptions.builder()
            .option(ConnectionFactoryOptions.DRIVER, "postgresql")
            .option(ConnectionFactoryOptions.HOST, url.host())
            .option(ConnectionFactoryOptions.PORT, url.port())
            .option(ConnectionFactoryOptions.DATABASE, url.database())
            .option(ConnectionFactoryOptions.CONNECT_TIMEOUT, options.connectTimeout())
            .option(
                ConnectionFactoryOptions.USER,
                url.user() != null ? url.user() : System.getProperty("user.name", "postgres"))
            .option(PostgresqlConnectionFactoryProvider.LOOP_RESOURCES, loops);
    if (url.password() != null) {
      b.option(ConnectionFactoryOptions.PASSWORD, url.password());
    }
    Set<String> known = knownPostgresOptions();
    for (Map.Entry<String, String> e : url.query().entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ArgumentException(
            "Unknown PostgreSQL URL option '"
                + e.getKey()
                + "' in "
                + url
                + "; the driver knows "
                + known
                + ".");
      }
      b.option(Option.valueOf(e.getKey()), e.getValue());
    }
    return b.build();
  }

  private static Set<String> knownPostgresOptions() {
    Set<String> names = new TreeSet<>();
    for (Class<?> c :
        new Class<?>[] {
          PostgresqlConnectionFactoryProvider.class, ConnectionFactoryOptions.class
        }) {
      for (Field f : c.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && Option.class.isAssignableFrom(f.getType())) {
          try {
            names.add(((Option<?>) f.get(null)).name());
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    names.removeAll(
        Set.of(
            "driver", "protocol", "host", "port", "user", "password", "database", "loopResources"));
    return names;
  }

  private static H2ConnectionConfiguration h2Configuration(EngineUrl url) {
    H2ConnectionConfiguration.Builder b = H2ConnectionConfiguration.builder();
    if (url.inMemory()) {
      b.inMemory(url.database()).property("DB_CLOSE_DELAY", "-1");
    } else {
      b.file(url.database());
    }
    // PostgreSQL's identifier folding, so that unquoted names mean the same on both databases.
    b.property("DATABASE_TO_LOWER", "TRUE");
    b.username(url.user() != null ? url.user() : "sa");
    if (url.password() != null) {
      b.password(url.password());
    }
    for (Map.Entry<String, String> e : url.query().entrySet()) {
      if (!e.getKey().matches("[A-Za-z_]+")) {
        throw new ArgumentException("'" + e.getKey() + "' is not an H2 setting name.");
      }
      if (!H2Settings.isKnown(e.getKey().toUpperCase(java.util.Locale.ROOT))) {
        throw new ArgumentException(
            "Unknown H2 URL option '"
                + e.getKey()
                + "' in "
                + url
                + "; H2 knows settings such as MODE, LOCK_TIMEOUT, DB_CLOSE_DELAY, "
                + "DEFAULT_NULL_ORDERING (see H2's 'Settings' documentation).");
      }
      b.property(e.getKey().toUpperCase(java.util.Locale.ROOT), e.getValue());
    }
    return b.build();
  }

  /** Returns the factory connections come from (the pool, when pooled). */
  public ConnectionFactory factory() {
    return factory;
  }

  /** Returns the pool, or {@code null} without one. */
  public @Nullable ConnectionPool pool() {
    return pool;
  }

  /** Returns the dialect for the URL's database. */
  public Dialect dialect() {
    return dialect;
  }

  /**
   * Closes the pool's connections. The event loops are shared by every engine of the JVM (see
   * {@link SharedLoops}) and stay.
   */
  public Mono<Void> dispose() {
    return pool != null && ownsPool ? pool.disposeLater() : Mono.empty();
  }

  /** A connect listener's error, carried through the pool and handed to the caller as it is. */
  public static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }
}
