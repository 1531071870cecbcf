package dev.athanor.coroutines

import dev.athanor.engine.BlockClaim
import dev.athanor.result.Result
import dev.athanor.result.ScalarResult
import dev.athanor.session.IdentityKey
import dev.athanor.session.InstanceState
import dev.athanor.session.Session
import dev.athanor.session.SessionTransaction
import dev.athanor.sql.Executable
import dev.athanor.sql.ExecutionOptions
import kotlin.reflect.KProperty1

/**
 * The Kotlin face of a [Session] (SQLAlchemy's `AsyncSession`): an identity map and a unit of work
 * over one engine. Adding, expiring and inspecting objects are plain calls; everything that may
 * reach the database suspends. Reading a field never does IO: an expired object keeps its values
 * until the next [get], query or [refresh] reloads it in place.
 *
 * ```
 * AsyncSession(engine).use { session ->
 *     session.add(User(name = "sandy"))
 *     session.commit()
 *     val sandy = session.scalars<User>(select<User>().where(User::name eq "sandy")).one()
 * }
 * ```
 */
public class AsyncSession
internal constructor(
    /** The reactive core session. */
    public val core: Session
) {
    /**
     * Makes a session over [engine]; it checks out a connection when it first needs one.
     * [expireOnCommit] (on by default, as in SQLAlchemy) marks every object expired at commit;
     * [autoflush] flushes before queries.
     */
    public constructor(
        engine: AsyncEngine,
        expireOnCommit: Boolean = true,
        autoflush: Boolean = true,
    ) : this(Session(engine.core, expireOnCommit, autoflush)) {
        // The session's face from now on: core.asAsync() gives this object back.
        dev.athanor.engine.internal.CoreFaces.of(core, AsyncSession::class.java) { this }
    }

    /** Adds an object: inserted at the next flush (or attached again if detached). */
    public fun add(entity: Any): Unit = core.add(entity)

    /** Adds every object. */
    public fun addAll(entities: Collection<Any>): Unit = core.addAll(entities)

    /**
     * Marks an object for deletion at the next flush.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun delete(entity: Any) {
        core.delete(entity).awaitOrNull()
    }

    /**
     * Writes every pending change in one planned sequence of statements; a failure rolls back and
     * leaves the objects as they were.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun flush() {
        core.flush().awaitOrNull()
    }

    /**
     * Flushes and commits; with expireOnCommit, every object is then expired.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Cancelled during the flush, the flush is undone as a failed one is
     * (the session asks for [rollback] once it has begun writing). Cancelled once the flush is
     * done, the commit runs to its end without the caller (the transaction commits, the objects are
     * expired), and the session's next suspending call waits for that end.
     */
    public suspend fun commit() {
        core.commit().awaitOrNull()
    }

    /**
     * Rolls back: objects added in the transaction leave the session, deleted ones come back, every
     * object is expired.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the rollback runs to its end without the caller, and the session's
     * next suspending call waits for that end.
     */
    public suspend fun rollback() {
        core.rollback().awaitOrNull()
    }

    /**
     * Rolls back what was not committed, detaches every object, returns the connection; runs to its
     * end even when the caller is cancelled. Refused with `InvalidRequestException` while another
     * caller's operation on this session runs (concurrent use): close after it.
     *
     * Cancellation: this clean-up runs to its end even when the calling coroutine is cancelled: the
     * caller resumes once it has ended, and sees the cancellation at its next suspension.
     */
    public suspend fun close() {
        core.close().awaitNonCancellable()
    }

    /**
     * The object of [type] with [primaryKey] (a `List` for a composite key), or null: from the
     * identity map without SQL when it is there and not expired.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <E : Any> get(
        type: Class<E>,
        primaryKey: Any,
        options: ExecutionOptions? = null,
    ): E? =
        // An object the session holds needs no IO: answered without a Mono.
        (if (options == null) core.getLoaded(type, primaryKey) else null)
            ?: core.get(type, primaryKey, options).awaitOrNull()

    /**
     * The object of [type] with [primaryKey] when the session holds it loaded and not expired, else
     * null: what [get] answers without SQL, as a plain call.
     */
    public fun <E : Any> getLoaded(type: Class<E>, primaryKey: Any): E? =
        core.getLoaded(type, primaryKey)

    /**
     * Like [get], but fails with `NoResultFoundException` when there is no such row.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <E : Any> getOne(type: Class<E>, primaryKey: Any): E =
        core.getOne(type, primaryKey).awaitOne()

    /**
     * Runs a statement in the session's transaction; classes a SELECT selects come back as objects.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun execute(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
        options: ExecutionOptions? = null,
    ): Result = core.execute(statement, parameters, options).awaitOne()

    /**
     * Streams a statement in the session's transaction: selected classes come back as objects, made
     * a fetched batch at a time (`yieldPer`). Read it with [AsyncResult.asFlow].
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
    ): AsyncResult = core.stream(statement, parameters, options).awaitOne().asAsync()

    /**
     * Streams a statement and hands out its first column: objects, for `select<User>()`.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T : Any> streamScalars(
        statement: Executable,
        parameters: Map<String, Any?> = emptyMap(),
        options: ExecutionOptions? = null,
    ): AsyncScalarResult<T> =
        AsyncScalarResult(core.streamScalars<T>(statement, parameters, options).awaitOne())

    /**
     * Runs a statement and returns a view of its first column: objects, for `select<User>()`.
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
     * The first column of the first row, or null.
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
     * Copies an object from outside the session onto the session's object of the same identity
     * (found, loaded when [load], or a new pending copy) and returns that object.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <E : Any> merge(entity: E, load: Boolean = true): E =
        core.merge(entity, load).awaitOne()

    /**
     * Reloads an object's columns in place.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun refresh(entity: Any) {
        core.refresh(entity).awaitOrNull()
    }

    /**
     * Reloads the named [attributes] of an object in place, discarding changes made to them; the
     * other attributes keep their values and changes.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun refresh(entity: Any, attributes: Collection<String>) {
        core.refresh(entity, attributes).awaitOrNull()
    }

    /**
     * Returns the relationship [relationship] (`Author::books`) of [entity], loading it first with
     * one SELECT when the session has not loaded it (SQLAlchemy's `awaitable_attrs`): a loaded one
     * comes back as it is, with no IO. `refresh(entity, listOf("books"))` loads it again instead.
     *
     * Throws [dev.athanor.error.MappingException] if the property is not a relationship, and
     * [dev.athanor.error.InvalidRequestException] if the object is not persistent in this session.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. A load already sent to the database is not cut short: it runs to its
     * end on the connection (the relationship is then loaded), the next operation waits behind it,
     * and whatever was not committed is rolled back before the connection is used again or goes
     * back to the pool.
     */
    public suspend fun <E : Any, C : Any> fetch(
        entity: E,
        relationship: KProperty1<E, List<C>?>,
    ): List<C> = core.fetch<C>(entity, relationship.name).awaitOne()

    /**
     * [fetch] by the relationship's field name, for a class not written in Kotlin.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`; the load runs to its end, as for the property form.
     */
    public suspend fun <C : Any> fetch(entity: Any, relationship: String): List<C> =
        core.fetch<C>(entity, relationship).awaitOne()

    /**
     * Begins the session's transaction explicitly (without a block); end it with [commit] or
     * [rollback]. Without this call the session begins one when it first needs a connection.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun begin(): AsyncSessionTransaction = core.begin().awaitOne().asAsync()

    /**
     * Flushes, then begins a SAVEPOINT: rolling it back undoes only what was written since it
     * began, in the database and in the session's objects.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun beginNested(): AsyncSessionTransaction =
        core.beginNested().awaitOne().asAsync()

    /**
     * Runs [block] in a SAVEPOINT: released (after a flush) when it returns, rolled back when it
     * throws or is cancelled; the outer transaction goes on either way, so a write that may fail
     * can be tried:
     * ```
     * try {
     *     session.beginNested { session.add(maybeDuplicate) }
     * } catch (e: IntegrityException) { /* the savepoint is rolled back; carry on */ }
     * session.commit()
     * ```
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> beginNested(block: suspend (AsyncSessionTransaction) -> T): T {
        val claim = BlockClaim<SessionTransaction>()
        val t =
            try {
                core.beginNested(claim).awaitOne().asAsync()
            } catch (e: Throwable) {
                // A level that opened for this block has nobody else to end it; one still opening
                // rolls itself back (BlockClaim).
                rollBackLeft(claim, e) { if (it.isActive) it.rollback() else null }
                throw e
            }
        return committing(
            { block(t) },
            { if (t.isActive) t.commit() },
            { if (t.isActive) t.rollback() },
        )
    }

    /**
     * Runs blocking [fn] on a virtual thread with a [dev.athanor.session.SyncSession] over this
     * session: the same identity map, unit of work and transaction (SQLAlchemy's `run_sync`). The
     * calling coroutine's thread-context elements and SLF4J MDC are set on that thread.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> runSync(fn: (dev.athanor.session.SyncSession) -> T): T {
        val context = kotlin.coroutines.coroutineContext
        @Suppress("UNCHECKED_CAST")
        return core.runSync<Any> { withThreadContext(context) { fn(it) } }.awaitOrNull() as T
    }

    /**
     * Closes the session, discarding its connection instead of returning it to the pool; runs to
     * its end even when the caller is cancelled.
     *
     * Cancellation: this clean-up runs to its end even when the calling coroutine is cancelled: the
     * caller resumes once it has ended, and sees the cancellation at its next suspension.
     */
    public suspend fun invalidate() {
        core.invalidate().awaitNonCancellable()
    }

    /**
     * Adds a listener of this session's events (beside its factory's and the global ones); the
     * returned registration removes it.
     */
    public fun listen(listener: AsyncSessionListener): dev.athanor.session.Registration =
        core.events().add(listener.asCore())

    /**
     * Adds a listener written as blocking code: each event runs on a virtual thread with a
     * [dev.athanor.session.SyncSession] over this session, and the session waits for it.
     */
    public fun listenBlocking(
        listener: dev.athanor.session.BlockingSessionListener
    ): dev.athanor.session.Registration =
        core.events().add(dev.athanor.session.SessionEvents.blocking(listener))

    /** The session's outermost transaction in progress, or null. */
    public fun getTransaction(): AsyncSessionTransaction? = core.transaction?.asAsync()

    /** The innermost savepoint in progress, or null. */
    public fun getNestedTransaction(): AsyncSessionTransaction? = core.nestedTransaction?.asAsync()

    /** Whether a savepoint begun with [beginNested] is in progress. */
    public fun inNestedTransaction(): Boolean = core.inNestedTransaction()

    /**
     * The session's connection, in its transaction.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun connection(): AsyncConnection = core.connection().awaitOne().asAsync()

    /**
     * Runs [block] as one transaction of this session (SQLAlchemy's `async with session.begin():`):
     * commits when it returns, rolls back when it throws or is cancelled. The block runs in the
     * caller's coroutine.
     *
     * Cancellation: cancelling the calling coroutine stops this wait at once with a
     * `CancellationException`. Work already sent to the database is not cut short: it runs to its
     * end on the connection, the next operation waits behind it, and whatever was not committed is
     * rolled back before the connection is used again or goes back to the pool.
     */
    public suspend fun <T> begin(block: suspend (AsyncSession) -> T): T {
        if (core.inTransaction()) {
            throw dev.athanor.error.InvalidRequestException(
                "This session already has a transaction in progress; commit() or rollback() it " +
                    "before begin(), or run the work in it directly."
            )
        }
        return committing(
            {
                // The transaction is the session's from here on: a nested begin() is refused.
                core.begin().awaitOne()
                block(this)
            },
            { core.commit().awaitOrNull() },
            { core.rollback().awaitOrNull() },
        )
    }

    /** Marks an object expired (no IO): reloaded in place by the next get, query or refresh. */
    public fun expire(entity: Any): Unit = core.expire(entity)

    /**
     * Marks the named [attributes] of an object expired (no IO): the next get, query or refresh
     * rewrites those alone.
     */
    public fun expire(entity: Any, attributes: Collection<String>): Unit =
        core.expire(entity, attributes)

    /** Marks every object expired. */
    public fun expireAll(): Unit = core.expireAll()

    /** Removes an object from the session (it becomes detached). */
    public fun expunge(entity: Any): Unit = core.expunge(entity)

    /** Removes every object from the session. */
    public fun expungeAll(): Unit = core.expungeAll()

    /** Whether an object has changes a flush would write. */
    public fun isModified(entity: Any): Boolean = core.isModified(entity)

    /** What the session knows of an object: status, identity, changed attributes. */
    public fun inspect(entity: Any): InstanceState = core.inspect(entity)

    /** The identity key of an object in the session, or null before it is saved. */
    public fun identityKey(entity: Any): IdentityKey? = core.identityKey(entity)

    /**
     * The identity key of the row of [type] with [primaryKey] (a value, or a `List` for a composite
     * key) and identity [token] (`Session.IDENTITY_TOKEN`), as the identity map holds it.
     */
    public fun identityKey(type: Class<*>, primaryKey: Any, token: Any? = null): IdentityKey =
        core.identityKey(type, primaryKey, token)

    /** Whether the object is in this session. */
    public operator fun contains(entity: Any): Boolean = core.contains(entity)

    /** Runs [block] with autoflush off. */
    public fun <T : Any> noAutoflush(block: () -> T): T =
        core.noAutoflush(java.util.function.Supplier<T> { block() })

    /** Whether a transaction is in progress. */
    public fun inTransaction(): Boolean = core.inTransaction()

    /** Objects added and not yet inserted. */
    public val new: Set<Any>
        get() = core.getNew()

    /** Persistent objects with changes to write. */
    public val dirty: Set<Any>
        get() = core.getDirty()

    /** Objects marked for deletion. */
    public val deleted: Set<Any>
        get() = core.getDeleted()

    /** Whether the session is open and not waiting for a rollback. */
    public val isActive: Boolean
        get() = core.isActive

    /** Whether [close] was called. */
    public val isClosed: Boolean
        get() = core.isClosed

    /** The program's own data about this session. */
    public val info: MutableMap<String, Any>
        get() = core.info()

    /**
     * The engine a statement would run on (SQLAlchemy's `get_bind`): with no arguments the
     * session's default engine; for a mapped class or a statement, the router's choice, else the
     * bind of the class or its table, else the default (see [SessionSettings.binds] and
     * [SessionSettings.router]).
     */
    public fun getBind(mapped: Class<*>? = null, statement: Executable? = null): AsyncEngine =
        if (mapped == null && statement == null) core.bind.asAsync()
        else core.getBind(mapped, statement).asAsync()

    override fun toString(): String = core.toString()

    public companion object {
        /** The open session [entity] belongs to, or null (SQLAlchemy's `async_object_session`). */
        public fun objectSession(entity: Any): AsyncSession? =
            Session.objectSession(entity)?.asAsync()

        /**
         * Closes every session not closed yet (SQLAlchemy's `close_all_sessions`), for shutdown and
         * tests; runs to its end even when the caller is cancelled. A session whose operation still
         * runs stays open, and this fails with its `InvalidRequestException` once the others are
         * closed.
         *
         * Cancellation: this clean-up runs to its end even when the calling coroutine is cancelled:
         * the caller resumes once it has ended, and sees the cancellation at its next suspension.
         */
        public suspend fun closeAll() {
            Session.closeAll().awaitNonCancellable()
        }
    }
}

/** The object of [E] with [primaryKey], or null; see [AsyncSession.get]. */
public suspend inline fun <reified E : Any> AsyncSession.get(primaryKey: Any): E? =
    get(E::class.java, primaryKey)

/**
 * The identity key of the row of [E] with [primaryKey] and [token]; see [AsyncSession.identityKey].
 */
public inline fun <reified E : Any> AsyncSession.identityKey(
    primaryKey: Any,
    token: Any? = null,
): IdentityKey = identityKey(E::class.java, primaryKey, token)

/**
 * Runs [block] with this session and closes it afterwards, however the block ends (SQLAlchemy's
 * `async with AsyncSession(engine) as session:`).
 */
public suspend inline fun <T> AsyncSession.use(block: (AsyncSession) -> T): T {
    try {
        return block(this)
    } finally {
        close()
    }
}
