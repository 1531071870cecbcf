package dev.athanor.coroutines

import dev.athanor.engine.Transaction

/** The Kotlin face of a [Transaction] or savepoint. */
public class AsyncTransaction
internal constructor(
    /** The reactive core transaction. */
    public val core: Transaction
) {
    /**
     * Commits the transaction, or releases the savepoint.
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
     * Rolls back the transaction, or to the savepoint.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun rollback() {
        core.rollback().awaitOrNull()
    }

    /** Whether it is neither committed nor rolled back. */
    public val isActive: Boolean
        get() = core.isActive

    /** Whether this is a savepoint. */
    public val isNested: Boolean
        get() = core.isNested

    /** The connection. */
    public val connection: AsyncConnection
        get() = core.connection().asAsync()

    override fun toString(): String = core.toString()
}
