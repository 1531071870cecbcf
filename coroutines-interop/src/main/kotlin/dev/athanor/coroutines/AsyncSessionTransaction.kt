package dev.athanor.coroutines

import dev.athanor.session.SessionTransaction

/**
 * The Kotlin face of a [SessionTransaction] (SQLAlchemy's `AsyncSessionTransaction`): the session's
 * outermost transaction, or a savepoint begun with [AsyncSession.beginNested].
 */
public class AsyncSessionTransaction
internal constructor(
    /** The reactive core session transaction. */
    public val core: SessionTransaction
) {
    /**
     * Commits: the outermost transaction as [AsyncSession.commit]; a savepoint is flushed and
     * released.
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
     * Rolls back: the outermost transaction as [AsyncSession.rollback]; a savepoint undoes what was
     * written since it began, in the database and in the session's objects.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun rollback() {
        core.rollback().awaitOrNull()
    }

    /** Whether it has not ended yet. */
    public val isActive: Boolean
        get() = core.isActive

    /** Whether this is a savepoint. */
    public val isNested: Boolean
        get() = core.isNested

    /** The session. */
    public val session: AsyncSession
        get() = core.session().asAsync()

    override fun toString(): String = core.toString()
}
