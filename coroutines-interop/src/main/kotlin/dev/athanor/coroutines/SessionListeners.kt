package dev.athanor.coroutines

import dev.athanor.engine.Connection
import dev.athanor.session.Mapper
import dev.athanor.session.MapperEvents
import dev.athanor.session.MapperListener
import dev.athanor.session.Registration
import dev.athanor.session.Session
import dev.athanor.session.SessionEvents
import dev.athanor.session.SessionListener
import kotlinx.coroutines.reactor.mono
import reactor.core.publisher.Mono

/**
 * Listens to a session's events with suspend functions (SQLAlchemy's session events). Register one
 * with [AsyncSession.listen], [AsyncSessionMaker.listen] or [AsyncSessionListener.addGlobal].
 *
 * The transaction and flush events may do IO and may use the session that fired them (queries,
 * [AsyncSession.connection]): the session awaits each listener, in order, before it goes on, and
 * the listener's calls belong to the operation that fired the event. A listener's exception fails
 * that operation; a failure before the commit rolls the transaction back.
 *
 * The object events ([afterAttach], [pendingToPersistent], [loaded]) are plain calls made while the
 * session updates its bookkeeping; they must not do IO.
 */
public interface AsyncSessionListener {
    /** The session's transaction began, on [connection]. */
    public suspend fun afterBegin(session: AsyncSession, connection: AsyncConnection) {}

    /** A flush is about to plan its statements; objects added or changed here are part of it. */
    public suspend fun beforeFlush(session: AsyncSession) {}

    /** A flush's statements ran; the objects hold their keys and new values. */
    public suspend fun afterFlush(session: AsyncSession) {}

    /** After [afterFlush], once the flush is over. */
    public suspend fun afterFlushPostexec(session: AsyncSession) {}

    /** The session is about to commit: before its last flush and the COMMIT. */
    public suspend fun beforeCommit(session: AsyncSession) {}

    /** The transaction committed; using the session here begins a new one. */
    public suspend fun afterCommit(session: AsyncSession) {}

    /** The transaction (or a savepoint) rolled back. */
    public suspend fun afterRollback(session: AsyncSession) {}

    /** An object was attached to the session. No IO here. */
    public fun afterAttach(session: AsyncSession, entity: Any) {}

    /** A pending object was inserted and is persistent now. No IO here. */
    public fun pendingToPersistent(session: AsyncSession, entity: Any) {}

    /** An object was populated from a row. No IO here. */
    public fun loaded(session: AsyncSession, entity: Any) {}

    public companion object {
        /** Adds [listener] for every session; the returned registration removes it. */
        public fun addGlobal(listener: AsyncSessionListener): Registration =
            SessionEvents.addGlobal(listener.asCore())
    }
}

/**
 * Listens to the writes of a mapped class's objects during a flush with suspend functions
 * (SQLAlchemy's mapper events): register one with [Mapper.listen] or
 * [AsyncMapperListener.addGlobal]. Each event gets the flush's connection and may do IO on it; a
 * `before` listener may change the object, and the flush writes what it holds afterwards. An
 * exception fails the flush, which rolls back.
 */
public interface AsyncMapperListener {
    /** An object is about to be inserted. */
    public suspend fun beforeInsert(mapper: Mapper<*>, connection: AsyncConnection, target: Any) {}

    /** An object was inserted; it holds its key. */
    public suspend fun afterInsert(mapper: Mapper<*>, connection: AsyncConnection, target: Any) {}

    /** A changed object is about to be updated. */
    public suspend fun beforeUpdate(mapper: Mapper<*>, connection: AsyncConnection, target: Any) {}

    /** An object was updated. */
    public suspend fun afterUpdate(mapper: Mapper<*>, connection: AsyncConnection, target: Any) {}

    /** An object is about to be deleted. */
    public suspend fun beforeDelete(mapper: Mapper<*>, connection: AsyncConnection, target: Any) {}

    /** An object was deleted. */
    public suspend fun afterDelete(mapper: Mapper<*>, connection: AsyncConnection, target: Any) {}

    public companion object {
        /** Adds [listener] for every mapper; the returned registration removes it. */
        public fun addGlobal(listener: AsyncMapperListener): Registration =
            MapperEvents.addGlobal(listener.asCore())
    }
}

/** Adds [listener] to this mapper's objects' writes; the returned registration removes it. */
public fun Mapper<*>.listen(listener: AsyncMapperListener): Registration =
    events().add(listener.asCore())

private fun void(block: suspend () -> Unit): Mono<Void> = mono { block() }.then()

/** The core listener that runs this one's suspend functions. */
internal fun AsyncSessionListener.asCore(): SessionListener {
    val l = this
    return object : SessionListener {
        override fun afterBegin(session: Session, connection: Connection): Mono<Void> = void {
            l.afterBegin(session.asAsync(), connection.asAsync())
        }

        override fun beforeFlush(session: Session): Mono<Void> = void {
            l.beforeFlush(session.asAsync())
        }

        override fun afterFlush(session: Session): Mono<Void> = void {
            l.afterFlush(session.asAsync())
        }

        override fun afterFlushPostexec(session: Session): Mono<Void> = void {
            l.afterFlushPostexec(session.asAsync())
        }

        override fun beforeCommit(session: Session): Mono<Void> = void {
            l.beforeCommit(session.asAsync())
        }

        override fun afterCommit(session: Session): Mono<Void> = void {
            l.afterCommit(session.asAsync())
        }

        override fun afterRollback(session: Session): Mono<Void> = void {
            l.afterRollback(session.asAsync())
        }

        override fun afterAttach(session: Session, entity: Any) {
            l.afterAttach(session.asAsync(), entity)
        }

        override fun pendingToPersistent(session: Session, entity: Any) {
            l.pendingToPersistent(session.asAsync(), entity)
        }

        override fun loaded(session: Session, entity: Any) {
            l.loaded(session.asAsync(), entity)
        }
    }
}

/** The core listener that runs this one's suspend functions. */
internal fun AsyncMapperListener.asCore(): MapperListener {
    val l = this
    return object : MapperListener {
        override fun beforeInsert(mapper: Mapper<*>, connection: Connection, target: Any) = void {
            l.beforeInsert(mapper, connection.asAsync(), target)
        }

        override fun afterInsert(mapper: Mapper<*>, connection: Connection, target: Any) = void {
            l.afterInsert(mapper, connection.asAsync(), target)
        }

        override fun beforeUpdate(mapper: Mapper<*>, connection: Connection, target: Any) = void {
            l.beforeUpdate(mapper, connection.asAsync(), target)
        }

        override fun afterUpdate(mapper: Mapper<*>, connection: Connection, target: Any) = void {
            l.afterUpdate(mapper, connection.asAsync(), target)
        }

        override fun beforeDelete(mapper: Mapper<*>, connection: Connection, target: Any) = void {
            l.beforeDelete(mapper, connection.asAsync(), target)
        }

        override fun afterDelete(mapper: Mapper<*>, connection: Connection, target: Any) = void {
            l.afterDelete(mapper, connection.asAsync(), target)
        }
    }
}
