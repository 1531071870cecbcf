package dev.athanor.engine;

import dev.athanor.error.ArgumentException;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.IsolationLevel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How an engine connects, pools and logs. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * EngineOptions.defaults().echo(true).poolSize(10).poolTimeout(Duration.ofSeconds(5))
 * }</pre>
 *
 * @param echo log each statement (and its parameters, unless hidden) through SLF4J logger {@code
 *     dev.athanor.engine} at INFO
 * @param hideParameters keep bound values out of logs and error messages
 * @param pooled whether connections are pooled (r2dbc-pool); without a pool each {@code connect()}
 *     opens a new driver connection and {@code close()} closes it
 * @param poolSize connections the pool keeps
 * @param maxOverflow connections allowed beyond {@code poolSize} under load
 * @param poolTimeout how long {@code connect()} waits for a free connection before failing with
 *     {@link dev.athanor.error.PoolTimeoutException}; zero fails at once when the pool is at its
 *     limit and none is free
 * @param poolRecycle the longest a connection lives before it is replaced, or {@code null}
 * @param poolPrePing test each connection with a round trip when it is checked out
 * @param connectTimeout how long opening a driver connection may take
 * @param isolationLevel the isolation of every transaction, or {@code null} for the database's
 * @param executionOptions default execution options of every connection
 * @param eventLoopThreads the PostgreSQL driver's event-loop threads (default: one per core)
 * @param compiledCacheSize how many compiled statements are kept (0 turns the cache off)
 */
public record EngineOptions(
    boolean echo,
    boolean hideParameters,
    boolean pooled,
    int poolSize,
    int maxOverflow,
    Duration poolTimeout,
    @Nullable Duration poolRecycle,
    boolean poolPrePing,
    Duration connectTimeout,
    @Nullable IsolationLevel isolationLevel,
    ExecutionOptions executionOptions,
    int eventLoopThreads,
    int compiledCacheSize) {

  /** Checks the values. */
  public EngineOptions {
    if (poolSize < 1) {
      throw new ArgumentException("poolSize must be at least 1, not " + poolSize + ".");
    }
    if (maxOverflow < 0) {
      throw new ArgumentException("maxOverflow must not be negative, not " + maxOverflow + ".");
    }
    if (poolTimeout.isNegative()) {
      throw new ArgumentException(
          "poolTimeout must not be negative (zero: fail at once when no connection is free), not "
              + poolTimeout
              + ".");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new ArgumentException("connectTimeout must be positive, not " + connectTimeout + ".");
    }
    if (poolRecycle != null && (poolRecycle.isNegative() || poolRecycle.isZero())) {
      throw new ArgumentException(
          "poolRecycle must be positive (or null for no limit), not " + poolRecycle + ".");
    }
    if (eventLoopThreads < 1) {
      throw new ArgumentException(
          "eventLoopThreads must be at least 1, not " + eventLoopThreads + ".");
    }
    if (compiledCacheSize < 0) {
      throw new ArgumentException(
          "compiledCacheSize must not be negative, not " + compiledCacheSize + ".");
    }
  }

  /** Returns the defaults: pooled (5 + 10 overflow, 30 s timeout), no echo. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        false,
        false,
        true,
        5,
        10,
        Duration.ofSeconds(30),
        null,
        false,
        Duration.ofSeconds(10),
        null,
        ExecutionOptions.DEFAULTS,
        Runtime.getRuntime().availableProcessors(),
        500);
  }

  /** Logs statements. */
  public EngineOptions echo(boolean on) {
    return with(m -> m.echo = on);
  }

  /** Keeps bound values out of logs and errors. */
  public EngineOptions hideParameters(boolean on) {
    return with(m -> m.hideParameters = on);
  }

  /** Turns pooling off (SQLAlchemy's {@code NullPool}). */
  public EngineOptions noPool() {
    return with(m -> m.pooled = false);
  }

  /** Sets how many connections the pool keeps. */
  public EngineOptions poolSize(int n) {
    return with(m -> m.poolSize = n);
  }

  /** Sets how many more connections may be opened under load. */
  public EngineOptions maxOverflow(int n) {
    return with(m -> m.maxOverflow = n);
  }

  /** Sets how long to wait for a free pooled connection. */
  public EngineOptions poolTimeout(Duration d) {
    return with(m -> m.poolTimeout = d);
  }

  /** Sets the longest life of a pooled connection. */
  public EngineOptions poolRecycle(Duration d) {
    return with(m -> m.poolRecycle = d);
  }

  /** Tests connections with a round trip on checkout. */
  public EngineOptions poolPrePing(boolean on) {
    return with(m -> m.poolPrePing = on);
  }

  /** Sets how long opening a driver connection may take. */
  public EngineOptions connectTimeout(Duration d) {
    return with(m -> m.connectTimeout = d);
  }

  /** Sets the isolation level of every transaction ({@code AUTOCOMMIT}: none). */
  public EngineOptions isolationLevel(IsolationLevel level) {
    return with(m -> m.isolationLevel = level);
  }

  /** Sets the default execution options. */
  public EngineOptions executionOptions(ExecutionOptions options) {
    return with(m -> m.executionOptions = options);
  }

  /** Sets the PostgreSQL driver's event-loop thread count. */
  public EngineOptions eventLoopThreads(int n) {
    return with(m -> m.eventLoopThreads = n);
  }

  /** Sets the size of the compiled-statement cache. */
  public EngineOptions compiledCacheSize(int n) {
    return with(m -> m.compiledCacheSize = n);
  }

  /** The fields of a copy being changed by one setter. */
  private static final class Mutable {
    boolean echo;
    boolean hideParameters;
    boolean pooled;
    int poolSize;
    int maxOverflow;
    Duration poolTimeout;
    @Nullable Duration poolRecycle;
    boolean poolPrePing;
    Duration connectTimeout;
    @Nullable IsolationLevel isolationLevel;
    ExecutionOptions executionOptions;
    int eventLoopThreads;
    int compiledCacheSize;

    Mutable(EngineOptions o) {
      echo = o.echo;
      hideParameters = o.hideParameters;
      pooled = o.pooled;
      poolSize = o.poolSize;
      maxOverflow = o.maxOverflow;
      poolTimeout = o.poolTimeout;
      poolRecycle = o.poolRecycle;
      poolPrePing = o.poolPrePing;
      connectTimeout = o.connectTimeout;
      isolationLevel = o.isolationLevel;
      executionOptions = o.executionOptions;
      eventLoopThreads = o.eventLoopThreads;
      compiledCacheSize = o.compiledCacheSize;
    }
  }

  private EngineOptions with(java.util.function.Consumer<Mutable> change) {
    Mutable m = new Mutable(this);
    change.accept(m);
    return new EngineOptions(
        m.echo,
        m.hideParameters,
        m.pooled,
        m.poolSize,
        m.maxOverflow,
        m.poolTimeout,
        m.poolRecycle,
        m.poolPrePing,
        m.connectTimeout,
        m.isolationLevel,
        m.executionOptions,
        m.eventLoopThreads,
        m.compiledCacheSize);
  }

  private static final List<String> KEYS =
      List.of(
          "url",
          "echo",
          "hide_parameters",
          "poolclass",
          "pool_size",
          "max_overflow",
          "pool_timeout",
          "pool_recycle",
          "pool_pre_ping",
          "connect_timeout",
          "isolation_level",
          "event_loop_threads",
          "compiled_cache_size",
          "yield_per");

  /**
   * Reads options from a configuration map, SQLAlchemy's {@code engine_from_config}: keys starting
   * with {@code prefix} (e.g. {@code "athanor."}) are used, in snake_case or camelCase; durations
   * are seconds. {@code poolclass=none} turns pooling off.
   *
   * @throws ArgumentException for an unknown key or a bad value, naming it
   */
  public static EngineOptions fromConfig(Map<String, ?> config, String prefix) {
    EngineOptions o = defaults();
    Map<String, Object> seen = new TreeMap<>();
    for (Map.Entry<String, ?> e : config.entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        continue;
      }
      String key = snake(e.getKey().substring(prefix.length()));
      Object v = e.getValue();
      seen.put(key, v);
      try {
        o =
            switch (key) {
              case "url" -> o;
              case "echo" -> o.echo(bool(v));
              case "hide_parameters" -> o.hideParameters(bool(v));
              case "poolclass" -> {
                String s = String.valueOf(v).toLowerCase(Locale.ROOT);
                if (s.equals("none") || s.equals("nullpool")) {
                  yield o.noPool();
                }
                if (s.equals("queuepool") || s.equals("default")) {
                  yield o;
                }
                throw new ArgumentException(
                    "poolclass must be 'none' or 'default', not '" + v + "'.");
              }
              case "pool_size" -> o.poolSize(integer(v));
              case "max_overflow" -> o.maxOverflow(integer(v));
              case "pool_timeout" -> o.poolTimeout(seconds(v));
              case "pool_recycle" -> o.poolRecycle(seconds(v));
              case "pool_pre_ping" -> o.poolPrePing(bool(v));
              case "connect_timeout" -> o.connectTimeout(seconds(v));
              case "isolation_level" -> o.isolationLevel(IsolationLevel.parse(String.valueOf(v)));
              case "event_loop_threads" -> o.eventLoopThreads(integer(v));
              case "compiled_cache_size" -> o.compiledCacheSize(integer(v));
              case "yield_per" -> o.executionOptions(o.executionOptions().yieldPer(integer(v)));
              default ->
                  throw new ArgumentException(
                      "Unknown engine option '"
                          + e.getKey()
                          + "'; known options (after the prefix '"
                          + prefix
                          + "') are "
                          + KEYS
                          + ".");
            };
      } catch (NumberFormatException ex) {
        throw new ArgumentException(
            "Engine option '" + e.getKey() + "' must be a number, not '" + v + "'.", ex);
      }
    }
    return o;
  }

  private static String snake(String key) {
    return key.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ArgumentException("Expected true or false, not '" + v + "'.");
    };
  }

  private static int integer(Object v) {
    return v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
  }

  private static Duration seconds(Object v) {
    if (v instanceof Duration d) {
      return d;
    }
    double s =
        v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
    return Duration.ofMillis((long) (s * 1000));
  }
}
