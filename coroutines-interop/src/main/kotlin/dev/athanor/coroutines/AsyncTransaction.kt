package dev.athanor.coroutines

import dev.athanor.engine.Transaction
import kotlinx.coroutines.reactor.awaitSingleOrNull

/** The Kotlin face of a [Transaction] or savepoint. */
public class AsyncTransaction
internal constructor(
    /** The reactive core transaction. */
    public val core: Transaction
) {
    /** Commits the transaction, or releases the savepoint. */
    public suspend fun commit() {
        core.commit().awaitSingleOrNull()
    }

    /** Rolls back the transaction, or to the savepoint. */
    public suspend fun rollback() {
        core.rollback().awaitSingleOrNull()
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
