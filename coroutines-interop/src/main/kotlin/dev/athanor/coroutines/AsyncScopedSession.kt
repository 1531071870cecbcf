package dev.athanor.coroutines

import dev.athanor.session.ScopedSession
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext

/**
 * Marks a scope that shares one session across the coroutines inside it:
 * `withContext(SessionScope()) { ... }`. Without one, [AsyncScopedSession] scopes by the current
 * coroutine's [Job].
 */
public class SessionScope : AbstractCoroutineContextElement(SessionScope) {
    /** The key of this element in a coroutine context. */
    public companion object Key : CoroutineContext.Key<SessionScope>
}

/**
 * One session per scope (SQLAlchemy's `async_scoped_session`): by default per coroutine, so a Ktor
 * request handler gets one session for the call without passing it around; or per [SessionScope]
 * element, or per the key [scopeKey] gives. A session scoped by a coroutine's [Job] is closed and
 * forgotten when that job completes; otherwise call [remove] when the scope ends.
 *
 * ```
 * val db = AsyncScopedSession(asyncSessionmaker(engine))
 * get("/users/{id}") { call.respond(db().get<User>(call.parameters["id"]!!.toLong())!!) }
 * ```
 */
public class AsyncScopedSession(
    /** The factory sessions are made with. */
    public val factory: AsyncSessionMaker,
    private val scopeKey: (suspend () -> Any)? = null,
) {
    /** The reactive core registry of scoped sessions. */
    public val core: ScopedSession =
        ScopedSession(factory.core) {
            throw IllegalStateException("the Kotlin face always passes the scope key")
        }

    private suspend fun key(): Any {
        scopeKey?.let {
            return it()
        }
        val ctx = currentCoroutineContext()
        return ctx[SessionScope]
            ?: ctx[Job]
            ?: throw dev.athanor.error.InvalidRequestException(
                "No scope for a scoped session: this coroutine has no Job and no SessionScope. " +
                    "Run inside a coroutine scope, add withContext(SessionScope()), or give " +
                    "AsyncScopedSession a scopeKey."
            )
    }

    /** The current scope's session, made on first use. */
    public suspend operator fun invoke(): AsyncSession {
        val key = key()
        val fresh = !core.has(key)
        val session = core.get(key).asAsync()
        if (fresh && key is Job) {
            key.invokeOnCompletion { core.remove(key).subscribe({}, {}) }
        }
        return session
    }

    /**
     * Closes the current scope's session and forgets it.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun remove() {
        core.remove(key()).awaitOrNull()
    }
}
