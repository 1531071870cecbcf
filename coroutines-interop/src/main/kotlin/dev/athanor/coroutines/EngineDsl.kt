package dev.athanor.coroutines

import dev.athanor.engine.Engine
import dev.athanor.engine.EngineOptions
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.IsolationLevel
import java.time.Duration
import kotlinx.coroutines.reactor.mono

/**
 * Creates an engine (SQLAlchemy's `create_async_engine`); nothing connects until the first use.
 *
 * ```
 * val engine = createAsyncEngine("postgresql://scott@localhost/test") {
 *     echo = true
 *     poolSize = 10
 * }
 * ```
 *
 * @throws dev.athanor.error.ArgumentException for a malformed URL or a bad option
 */
public fun createAsyncEngine(url: String, configure: EngineSettings.() -> Unit = {}): AsyncEngine {
    val settings = EngineSettings(EngineOptions.defaults())
    settings.configure()
    val options = settings.build()
    val creator = settings.creator
    val asyncCreator = settings.asyncCreator
    return when {
        creator != null -> Engine.create(url, options, creator)
        asyncCreator != null ->
            Engine.create(url, options, java.util.function.Supplier { mono { asyncCreator() } })
        else -> Engine.create(url, options)
    }.asAsync()
}

/**
 * Creates an engine from a configuration map (SQLAlchemy's `async_engine_from_config`): `prefix +
 * "url"` is the URL, the other keys under `prefix` are options.
 */
public fun asyncEngineFromConfig(
    config: Map<String, Any?>,
    prefix: String = "athanor.",
): AsyncEngine = Engine.fromConfig(config, prefix).asAsync()

/** The options of [createAsyncEngine]; see [EngineOptions] for what each one does. */
public class EngineSettings internal constructor(private var options: EngineOptions) {
    /** Logs each statement through SLF4J logger `dev.athanor.engine`. */
    public var echo: Boolean = options.echo()

    /** Keeps bound values out of logs and error messages. */
    public var hideParameters: Boolean = options.hideParameters()

    /** Whether connections are pooled. */
    public var pooled: Boolean = options.pooled()

    /** Connections the pool keeps. */
    public var poolSize: Int = options.poolSize()

    /** Connections allowed beyond [poolSize] under load. */
    public var maxOverflow: Int = options.maxOverflow()

    /** How long to wait for a free pooled connection. */
    public var poolTimeout: Duration = options.poolTimeout()

    /** The longest life of a pooled connection, or null. */
    public var poolRecycle: Duration? = options.poolRecycle()

    /** Tests each connection with a round trip when it is checked out. */
    public var poolPrePing: Boolean = options.poolPrePing()

    /** How long opening a driver connection may take. */
    public var connectTimeout: Duration = options.connectTimeout()

    /** The isolation of every transaction, or null for the database default. */
    public var isolationLevel: IsolationLevel? = options.isolationLevel()

    /** The default execution options. */
    public var executionOptions: ExecutionOptions = options.executionOptions()

    /** The PostgreSQL driver's event-loop threads. */
    public var eventLoopThreads: Int = options.eventLoopThreads()

    /** How many compiled statements are cached. */
    public var compiledCacheSize: Int = options.compiledCacheSize()

    /**
     * A driver `ConnectionFactory` of the program's own (SQLAlchemy's `creator`: its own SSL, IAM
     * tokens, proxies); the URL then only names the dialect. A ready `ConnectionPool` is used as it
     * is and not closed by `dispose()`.
     */
    public var creator: io.r2dbc.spi.ConnectionFactory? = null

    /**
     * Makes each new driver connection (SQLAlchemy's `async_creator`), called once per connection
     * the pool opens; its errors reach callers as the driver's do.
     */
    public var asyncCreator: (suspend () -> io.r2dbc.spi.Connection)? = null

    internal fun build(): EngineOptions {
        var o =
            EngineOptions(
                echo,
                hideParameters,
                pooled,
                poolSize,
                maxOverflow,
                poolTimeout,
                poolRecycle,
                poolPrePing,
                connectTimeout,
                isolationLevel,
                executionOptions,
                eventLoopThreads,
                compiledCacheSize,
            )
        options = o
        return o
    }
}
