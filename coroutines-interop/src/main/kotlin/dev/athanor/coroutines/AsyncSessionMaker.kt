package dev.athanor.coroutines

import dev.athanor.session.BindRequest
import dev.athanor.session.BindRouter
import dev.athanor.session.SessionMaker
import kotlin.reflect.KClass

/**
 * Makes sessions with one configuration (SQLAlchemy's `async_sessionmaker`); see
 * [asyncSessionmaker].
 *
 * ```
 * val sessions = asyncSessionmaker(engine) { expireOnCommit = false }
 * sessions.begin { session -> session.add(User(name = "sandy")) }   // commits, closes
 * val session = sessions()                                           // a plain session
 * ```
 */
public class AsyncSessionMaker
internal constructor(
    /** The reactive core factory. */
    public val core: SessionMaker
) {
    /** A new session. */
    public operator fun invoke(): AsyncSession = core.create().asAsync()

    /**
     * Runs [block] in a new session's transaction: commits when it returns, rolls back when it
     * throws or is cancelled, and closes the session either way before the caller resumes.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> begin(block: suspend (AsyncSession) -> T): T {
        val session = invoke()
        try {
            return session.begin(block)
        } finally {
            session.close()
        }
    }

    /** Adds a listener that every session made here calls; the returned registration removes it. */
    public fun listen(listener: AsyncSessionListener): dev.athanor.session.Registration =
        core.events().add(listener.asCore())

    /** Changes the settings of the sessions made from now on. */
    public fun configure(settings: SessionSettings.() -> Unit) {
        val s = SessionSettings(core.engine().asAsync(), core.expireOnCommit(), core.autoflush())
        s.binds = core.binds().mapValues { it.value.asAsync() }
        s.router = core.router()?.let { r -> { request -> r.route(request)?.asAsync() } }
        s.settings()
        s.applyTo(core.configure(s.engine.core, s.expireOnCommit, s.autoflush))
    }
}

/** The settings of the sessions an [AsyncSessionMaker] makes. */
public class SessionSettings
internal constructor(
    /** The engine sessions run on. */
    public var engine: AsyncEngine,
    /** Mark every object expired when a transaction commits (SQLAlchemy's default: true). */
    public var expireOnCommit: Boolean,
    /** Flush before queries (true by default). */
    public var autoflush: Boolean,
) {
    /**
     * Engines other than [engine] for some mapped classes (`User::class` or `User::class.java`),
     * mappers or tables: their statements and flushes run there, and a session's transaction spans
     * every engine it used (each commits in turn; there is no two-phase commit).
     */
    public var binds: Map<Any, AsyncEngine> = emptyMap()

    /**
     * Asked first for each statement's engine (SQLAlchemy's overridable `get_bind`); null falls
     * back to [binds], then [engine]. Called on the session's thread; it must not block.
     *
     * ```
     * router = { request -> if (request.isWrite) leader else follower }
     * ```
     */
    public var router: ((BindRequest) -> AsyncEngine?)? = null

    internal fun applyTo(maker: SessionMaker): SessionMaker {
        maker.binds(
            binds.entries.associate { (k, v) -> (if (k is KClass<*>) k.java else k) to v.core }
        )
        val r = router
        maker.router(r?.let { f -> BindRouter { request -> f(request)?.core } })
        return maker
    }
}

/** Makes an [AsyncSessionMaker] over [engine] (SQLAlchemy's `async_sessionmaker(engine)`). */
public fun asyncSessionmaker(
    engine: AsyncEngine,
    configure: SessionSettings.() -> Unit = {},
): AsyncSessionMaker {
    val s = SessionSettings(engine, expireOnCommit = true, autoflush = true)
    s.configure()
    return AsyncSessionMaker(s.applyTo(SessionMaker(s.engine.core, s.expireOnCommit, s.autoflush)))
}
