package dev.athanor.coroutines

import dev.athanor.engine.Inspector
import dev.athanor.sql.MetaData
import dev.athanor.sql.Table

/** The Kotlin face of an [Inspector]: the database's schema, read with suspend functions. */
public class AsyncInspector
internal constructor(
    /** The reactive core inspector. */
    public val core: Inspector
) {
    /**
     * The tables of the current schema, sorted.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun tableNames(): List<String> = core.tableNames().awaitOne()

    /**
     * Whether a table exists.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun hasTable(name: String): Boolean = core.hasTable(name).awaitOne()

    /**
     * A table's columns.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun columns(table: String): List<Inspector.ColumnInfo> =
        core.columns(table).awaitOne()

    /**
     * A table's primary key columns.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun primaryKey(table: String): List<String> = core.primaryKey(table).awaitOne()

    /**
     * A table's foreign keys.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun foreignKeys(table: String): List<Inspector.ForeignKeyInfo> =
        core.foreignKeys(table).awaitOne()

    /**
     * A table's indexes.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun indexes(table: String): List<Inspector.IndexInfo> =
        core.indexes(table).awaitOne()

    /**
     * Loads a table's definition into [metadata].
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun loadTable(metadata: MetaData, name: String): Table =
        core.loadTable(metadata, name).awaitOne()
}
