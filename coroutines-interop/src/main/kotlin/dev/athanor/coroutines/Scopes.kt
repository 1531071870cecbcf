package dev.athanor.coroutines

import dev.athanor.engine.BlockClaim
import dev.athanor.engine.Connection
import dev.athanor.engine.Transaction
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlinx.coroutines.withContext
import reactor.core.publisher.Mono

/*
 * The scope functions of the Kotlin face, written once. The block runs in the caller's own
 * coroutine (never in a detached one that could outlive a cancellation and write after the
 * rollback), and the clean-up after it runs even when the caller is cancelled, then the caller
 * resumes: by then the transaction has ended and the connection is back in the pool.
 */

/**
 * Runs [block] in the transaction [begin] starts: commit on return, rollback on throw or cancel. A
 * cancellation that arrives while the begin is still on its way leaves no transaction behind either
 * ([BlockClaim]): the one already begun is rolled back here, one still beginning ends itself.
 */
internal suspend fun <T> inTransaction(
    begin: (BlockClaim<Transaction>) -> Mono<Transaction>,
    block: suspend (Transaction) -> T,
): T {
    val claim = BlockClaim<Transaction>()
    val t =
        try {
            begin(claim).awaitOne()
        } catch (e: Throwable) {
            rollBackLeft(claim, e) { if (it.isActive) it.rollback() else null }
            throw e
        }
    t.enterBlock()
    val result =
        try {
            block(t)
        } catch (e: Throwable) {
            t.exitBlock()
            withContext(NonCancellable) {
                try {
                    if (t.isActive) t.rollback().awaitOrNull()
                } catch (rollbackError: Throwable) {
                    if (rollbackError !== e) e.addSuppressed(rollbackError)
                }
            }
            throw e
        }
    t.exitBlock()
    // A block that ended its transaction itself (commit() or rollback() inside) leaves nothing
    // to end here.
    if (t.isActive) t.commit().awaitOrNull()
    return result
}

/**
 * Runs [block], then [commit]; when either fails or is cancelled, runs [rollback] (to its end, even
 * when the caller is cancelled; its own error is added as suppressed) and rethrows.
 */
internal suspend fun <T> committing(
    block: suspend () -> T,
    commit: suspend () -> Unit,
    rollback: suspend () -> Unit,
): T {
    try {
        val result = block()
        commit()
        return result
    } catch (e: Throwable) {
        withContext(NonCancellable) {
            try {
                rollback()
            } catch (rollbackError: Throwable) {
                if (rollbackError !== e) e.addSuppressed(rollbackError)
            }
        }
        throw e
    }
}

/** Checks out a connection; a cancelled caller leaves nothing checked out. */
internal suspend fun checkout(core: dev.athanor.engine.Engine): Connection {
    val c = core.newConnection()
    try {
        // A free pooled connection is handed over while start() is subscribed: no suspension then.
        // Cancelling the wait otherwise cancels the checkout.
        c.start().awaitOne()
    } catch (e: Throwable) {
        // Closing covers every moment: before the driver connection arrives, start() gives it back
        // when it comes; after, it goes back now.
        c.close().subscribe({}, {})
        throw e
    }
    return c
}

/** Runs [block] with [c] and closes it afterwards, whatever happens, before the caller resumes. */
internal suspend fun <T> closing(c: Connection, block: suspend () -> T): T {
    val result =
        try {
            block()
        } catch (e: Throwable) {
            try {
                c.close().awaitNonCancellable()
            } catch (closeError: Throwable) {
                if (closeError !== e) e.addSuppressed(closeError)
            }
            throw e
        }
    closeNonCancellable(c)
    return result
}

/**
 * Closes [c] before the caller resumes, even if it is cancelled meanwhile. A close that completes
 * while it is subscribed (the usual case: the ROLLBACK on return is not awaited) needs no
 * suspension.
 */
private suspend fun closeNonCancellable(c: Connection) {
    c.close().awaitNonCancellable()
}

/**
 * Awaits a value that must be released if nobody takes it: when the caller is cancelled as the
 * value arrives, [release] gets it.
 */
internal suspend fun <T : Any> Mono<T>.awaitOwned(release: (T) -> Unit): T =
    suspendCancellableCoroutine { cont ->
        val d =
            subscribe(
                { v -> cont.resume(v) { _, value, _ -> release(value) } },
                { e -> cont.resumeWithException(e) },
            )
        cont.invokeOnCancellation { d.dispose() }
    }

/**
 * The begin of a block failed or was cancelled: rolls back what [claim] hands over (a transaction
 * begun for the block that nobody else would end; [rollback] gives null if it needs none), to its
 * end even when the caller is cancelled, adding its error to [e].
 */
internal suspend fun <T : Any> rollBackLeft(
    claim: BlockClaim<T>,
    e: Throwable,
    rollback: (T) -> Mono<Void>?,
) {
    val begun = claim.leave() ?: return
    withContext(NonCancellable) {
        try {
            rollback(begun)?.awaitOrNull()
        } catch (rollbackError: Throwable) {
            e.addSuppressed(rollbackError)
        }
    }
}
