package dev.athanor.coroutines

import dev.athanor.engine.Engine
import dev.athanor.engine.EngineEvents
import dev.athanor.engine.EngineUrl
import dev.athanor.engine.PoolStatus
import dev.athanor.sql.Dialect
import dev.athanor.sql.ExecutionOptions

/**
 * The Kotlin face of an [Engine]: a pool of connections with suspend functions. Holds nothing but
 * [core]; make one with [createAsyncEngine].
 *
 * Cancellation: every suspend function stops waiting at once when its coroutine is cancelled. A
 * connection that arrives for a cancelled caller goes back to the pool; the scope functions
 * ([connect], [begin]) cancel their block, roll back what was not committed and return the
 * connection to the pool before the caller resumes. A statement already sent runs to its end first.
 */
public class AsyncEngine
internal constructor(
    /** The reactive core engine (the event target; SQLAlchemy's `sync_engine`). */
    public val core: Engine
) {
    /**
     * Checks out a connection; close it when done, or use [connect] with a block. A caller
     * cancelled while it waits leaves nothing checked out.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun connect(): AsyncConnection = checkout(core).asAsync()

    /**
     * Returns a connection that is not checked out yet, without suspending; [AsyncConnection.start]
     * checks it out. Hold it in a `try`/`finally` that closes it, and a cancelled checkout still
     * returns the driver connection to the pool.
     */
    public fun newConnection(): AsyncConnection = core.newConnection().asAsync()

    /**
     * Runs [block] with a connection and always closes it; uncommitted work is rolled back. When
     * the caller is cancelled, the block is cancelled, and the rollback and the return to the pool
     * finish before the caller resumes.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> connect(block: suspend (AsyncConnection) -> T): T {
        val c = checkout(core)
        return closing(c) { block(c.asAsync()) }
    }

    /**
     * Runs [block] in a transaction: commits when it returns, rolls back when it throws or is
     * cancelled, and always returns the connection to the pool before the caller resumes.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> begin(block: suspend (AsyncConnection) -> T): T {
        val c = checkout(core)
        return closing(c) { inTransaction({ c.begin(it) }) { block(c.asAsync()) } }
    }

    /**
     * Closes the pool's connections and gives the engine a fresh pool (SQLAlchemy's `dispose()`):
     * the engine goes on working. With [close] false the old connections are dropped, not closed.
     * Connections checked out now keep working and are closed when returned.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun dispose(close: Boolean = true) {
        core.dispose(close).awaitOrNull()
    }

    /** Returns an engine with other default execution options, sharing this one's pool. */
    public fun executionOptions(options: ExecutionOptions): AsyncEngine =
        core.executionOptions(options).asAsync()

    /** Returns the default execution options. */
    public fun getExecutionOptions(): ExecutionOptions = core.executionOptions

    /**
     * Checks out a driver (R2DBC) connection; close it to return it.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun rawConnection(): io.r2dbc.spi.Connection = core.rawConnection().awaitOne()

    /** Drops every compiled statement from the cache. */
    public fun clearCompiledCache(): Unit = core.clearCompiledCache()

    /** The listeners of this engine. */
    public val events: EngineEvents
        get() = core.events()

    /** The dialect. */
    public val dialect: Dialect
        get() = core.dialect()

    /** The URL (its `toString()` hides the password). */
    public val url: EngineUrl
        get() = core.url()

    /** Whether statements are logged; set it to turn logging on or off from the next statement. */
    public var echo: Boolean
        get() = core.echo()
        set(value) = core.setEcho(value)

    /** The pool's counters, or null without a pool. */
    public val poolStatus: PoolStatus?
        get() = core.poolStatus()

    override fun toString(): String = "AsyncEngine(${core.url()})"
}
