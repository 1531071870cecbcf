package dev.athanor.coroutines

import dev.athanor.engine.Connection
import dev.athanor.engine.Inspector
import dev.athanor.engine.SyncConnection
import dev.athanor.result.Result
import dev.athanor.result.ScalarResult
import dev.athanor.sql.Executable
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.MetaData
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import reactor.core.publisher.Mono

/**
 * The Kotlin face of a [Connection]: run statements, stream results, control transactions. The
 * first statement begins a transaction; [commit] ends it; [close] rolls back the rest.
 *
 * Cancellation: every suspend function stops waiting at once when its coroutine is cancelled, but a
 * statement already sent runs to its end on the connection (cutting a driver conversation short
 * would break the connection); the next operation waits behind it. The scope functions ([begin],
 * [beginNested]) roll back on cancellation, after that statement; [close] rolls back whatever was
 * not committed and returns the connection to the pool even when the caller is cancelled.
 */
public class AsyncConnection
internal constructor(
    /** The reactive core connection. */
    public val core: Connection
) {
    /**
     * Runs a statement and returns its buffered result.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun execute(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
    ): Result = core.execute(statement, parameters).awaitOne()

    /**
     * Runs a statement once per parameter set (executemany), with execution options for this call
     * if given.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun execute(
        statement: Executable,
        parameterSets: List<Map<String, Any?>>,
        options: ExecutionOptions? = null,
    ): Result = core.execute(statement, parameterSets, options).awaitOne()

    /**
     * Runs a statement with execution options for this call.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun execute(
        statement: Executable,
        parameters: Map<String, Any?>,
        options: ExecutionOptions,
    ): Result = core.execute(statement, listOf(parameters), options).awaitOne()

    /**
     * Runs SQL in the driver's form with positional `$1, $2` parameters.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun execDriverSql(sql: String, vararg parameters: Any?): Result =
        core.execDriverSql(sql, *parameters).awaitOne()

    /**
     * Runs driver-form SQL once per positional parameter list (executemany); an empty list runs
     * nothing.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun execDriverSql(sql: String, parameterLists: List<List<Any?>>): Result =
        core.execDriverSql(sql, parameterLists).awaitOne()

    /**
     * Returns the first column of the first row, or null.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun scalar(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
    ): Any? = core.scalar(statement, parameters).awaitOrNull()

    /**
     * Runs a statement and returns a view of its first column.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T : Any> scalars(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
    ): ScalarResult<T> = core.scalars<T>(statement, parameters).awaitOne()

    /**
     * Runs a statement with a server-side cursor; rows are fetched as they are read. The connection
     * is busy until the result is read to its end or closed.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun stream(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
        options: ExecutionOptions? = null,
    ): AsyncResult =
        core
            .stream(statement, parameters, options)
            .awaitOwned { it.close().subscribe({}, {}) }
            .asAsync()

    /**
     * Streams a statement into [block] and closes the stream when the block ends, however it ends
     * (return, throw, cancellation); returns what the block returns.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> stream(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
        options: ExecutionOptions? = null,
        block: suspend (AsyncResult) -> T,
    ): T {
        val result = stream(statement, parameters, options)
        try {
            return block(result)
        } finally {
            withContext(NonCancellable) { result.close() }
        }
    }

    /**
     * Streams a statement and hands out its first column.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T : Any> streamScalars(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
    ): AsyncScalarResult<T> =
        AsyncScalarResult(
            core.streamScalars<T>(statement, parameters).awaitOwned { it.close().subscribe({}, {}) }
        )

    /**
     * Begins the outermost transaction explicitly.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun begin(): AsyncTransaction = core.begin().awaitOne().asAsync()

    /**
     * Runs [block] in a transaction begun here: commit on return, rollback on throw or cancel.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> begin(block: suspend (AsyncTransaction) -> T): T =
        scoped({ core.begin(it) }, block)

    /**
     * Begins a SAVEPOINT (and the outermost transaction, if none).
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun beginNested(): AsyncTransaction = core.beginNested().awaitOne().asAsync()

    /**
     * Runs [block] in a SAVEPOINT: released on return, rolled back to on throw or cancel; the outer
     * transaction goes on either way.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> beginNested(block: suspend (AsyncTransaction) -> T): T =
        scoped({ core.beginNested(it) }, block)

    private suspend fun <T> scoped(
        begin:
            (dev.athanor.engine.BlockClaim<dev.athanor.engine.Transaction>) -> Mono<
                    dev.athanor.engine.Transaction
                >,
        block: suspend (AsyncTransaction) -> T,
    ): T = inTransaction(begin) { t -> block(t.asAsync()) }

    /**
     * Commits the outermost transaction, if any.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun commit() {
        core.commit().awaitOrNull()
    }

    /**
     * Rolls back the outermost transaction, if any.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun rollback() {
        core.rollback().awaitOrNull()
    }

    /**
     * Checks out a connection made by [AsyncEngine.newConnection] and returns it (this object).
     * Fails if it was started before or closed. On cancellation the checkout is abandoned; [close]
     * gives back a driver connection that arrives afterwards.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun start(): AsyncConnection = core.start().awaitOne().asAsync()

    /**
     * Rolls back what was not committed and returns the connection to the pool.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun close() {
        core.close().awaitOrNull()
    }

    /**
     * Discards the driver connection instead of returning it to the pool; closes this one.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun invalidate() {
        core.invalidate().awaitOrNull()
    }

    /** The outermost transaction in progress, or null. */
    public fun getTransaction(): AsyncTransaction? = core.transaction?.asAsync()

    /** The innermost savepoint in progress, or null. */
    public fun getNestedTransaction(): AsyncTransaction? = core.nestedTransaction?.asAsync()

    /** Whether a transaction is in progress. */
    public fun inTransaction(): Boolean = core.inTransaction()

    /** Whether a savepoint is in progress. */
    public fun inNestedTransaction(): Boolean = core.inNestedTransaction()

    /** Whether the connection was closed. */
    public val isClosed: Boolean
        get() = core.isClosed

    /** Whether the driver connection was discarded. */
    public val isInvalidated: Boolean
        get() = core.isInvalidated

    /** The listeners of this connection alone; dropped when it closes. */
    public val events: dev.athanor.engine.EngineEvents
        get() = core.events()

    /** A map for the program's own data about this connection. */
    public val info: MutableMap<String, Any>
        get() = core.info()

    /** Sets execution options for what follows; returns this connection. */
    public fun executionOptions(options: ExecutionOptions): AsyncConnection {
        core.executionOptions(options)
        return this
    }

    /** The execution options in force. */
    public fun getExecutionOptions(): ExecutionOptions = core.executionOptions

    /**
     * Asks the server for the isolation level in force now (the current transaction's, else the
     * session's); does not begin a transaction.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun getIsolationLevel(): dev.athanor.sql.IsolationLevel =
        core.isolationLevel.awaitOne()

    /** The isolation level new transactions of this connection get. */
    public val defaultIsolationLevel: dev.athanor.sql.IsolationLevel
        get() = core.defaultIsolationLevel

    /** The engine this connection came from. */
    public val engine: AsyncEngine
        get() = core.engine().asAsync()

    /** The dialect of this connection's engine. */
    public val dialect: dev.athanor.sql.Dialect
        get() = core.dialect()

    /** The driver (R2DBC) connection. */
    public fun getRawConnection(): io.r2dbc.spi.Connection = core.rawConnection

    /**
     * Runs blocking code on a virtual thread with a [SyncConnection] over this same connection and
     * transaction, and returns what it returns. The calling coroutine's `ThreadContextElement`s (an
     * MDC context, a tracing span) are applied on that thread for the call, and so are the caller's
     * SLF4J MDC and the thread-locals named with [dev.athanor.engine.RunSyncContext].
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> runSync(fn: (SyncConnection) -> T): T {
        val context = coroutineContext
        @Suppress("UNCHECKED_CAST")
        return core.runSync<Any> { withThreadContext(context) { fn(it) } }.awaitOrNull() as T
    }

    /** An inspector of the database's schema, over this connection. */
    public fun inspector(): AsyncInspector = AsyncInspector(Inspector.of(core))

    override fun toString(): String = "AsyncConnection(${core.engine().url()})"
}

/**
 * Creates every missing table of this metadata over an async connection.
 *
 * Cancellation: cancelling the calling coroutine stops this wait at once with a
 * `CancellationException`. Work already sent to the database is not cut short: it runs to its end
 * on the connection, the next operation waits behind it, and whatever was not committed is rolled
 * back before the connection is used again or goes back to the pool.
 */
public suspend fun MetaData.createAll(conn: AsyncConnection, checkFirst: Boolean = true) {
    createAll(conn.core, checkFirst).awaitOrNull()
}

/**
 * Drops every existing table of this metadata over an async connection.
 *
 * Cancellation: cancelling the calling coroutine stops this wait at once with a
 * `CancellationException`. Work already sent to the database is not cut short: it runs to its end
 * on the connection, the next operation waits behind it, and whatever was not committed is rolled
 * back before the connection is used again or goes back to the pool.
 */
public suspend fun MetaData.dropAll(conn: AsyncConnection, checkFirst: Boolean = true) {
    dropAll(conn.core, checkFirst).awaitOrNull()
}
