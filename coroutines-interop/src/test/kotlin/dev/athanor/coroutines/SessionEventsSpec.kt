package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.error.PendingRollbackException
import dev.athanor.session.BlockingSessionListener
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Mapper
import dev.athanor.session.Registry
import dev.athanor.session.SyncSession
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.Collections
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope

@Entity(table = "orm_ev_items")
class EvItem(
    @Id var id: Long? = null,
    @Column(length = 30, nullable = false) var name: String = "",
    var stamp: String? = null,
)

@Entity(table = "orm_ev_audit") class EvAudit(@Id var id: Long? = null, var what: String? = null)

/** Session events and mapper events, with listeners that do IO, through the Kotlin face. */
class SessionEventsSpec :
    FunSpec({
        val registry = Registry()
        val items = registry.map(EvItem::class.java)
        registry.map(EvAudit::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun count(engine: AsyncEngine, table: String): Int = engine.connect { c ->
            (c.scalar(Sql.text("SELECT count(*) FROM $table")) as Number).toInt()
        }

        /** Records every event it hears, by name. */
        class Recorder : AsyncSessionListener, AsyncMapperListener {
            val heard: MutableList<String> = Collections.synchronizedList(mutableListOf())

            override suspend fun afterBegin(session: AsyncSession, connection: AsyncConnection) {
                heard += "afterBegin"
            }

            override suspend fun beforeFlush(session: AsyncSession) {
                heard += "beforeFlush"
            }

            override suspend fun afterFlush(session: AsyncSession) {
                heard += "afterFlush"
            }

            override suspend fun afterFlushPostexec(session: AsyncSession) {
                heard += "afterFlushPostexec"
            }

            override suspend fun beforeCommit(session: AsyncSession) {
                heard += "beforeCommit"
            }

            override suspend fun afterCommit(session: AsyncSession) {
                heard += "afterCommit"
            }

            override suspend fun afterRollback(session: AsyncSession) {
                heard += "afterRollback"
            }

            override fun afterAttach(session: AsyncSession, entity: Any) {
                heard += "afterAttach"
            }

            override fun pendingToPersistent(session: AsyncSession, entity: Any) {
                heard += "pendingToPersistent"
            }

            override fun loaded(session: AsyncSession, entity: Any) {
                heard += "loaded"
            }

            override suspend fun beforeInsert(
                mapper: Mapper<*>,
                connection: AsyncConnection,
                target: Any,
            ) {
                heard += "beforeInsert"
            }

            override suspend fun afterInsert(
                mapper: Mapper<*>,
                connection: AsyncConnection,
                target: Any,
            ) {
                heard += "afterInsert"
            }

            override suspend fun beforeUpdate(
                mapper: Mapper<*>,
                connection: AsyncConnection,
                target: Any,
            ) {
                heard += "beforeUpdate"
                (target as EvItem).stamp = "stamped"
            }

            override suspend fun afterUpdate(
                mapper: Mapper<*>,
                connection: AsyncConnection,
                target: Any,
            ) {
                heard += "afterUpdate"
            }

            override suspend fun beforeDelete(
                mapper: Mapper<*>,
                connection: AsyncConnection,
                target: Any,
            ) {
                heard += "beforeDelete"
            }

            override suspend fun afterDelete(
                mapper: Mapper<*>,
                connection: AsyncConnection,
                target: Any,
            ) {
                heard += "afterDelete"
            }
        }

        eachDatabase { db ->
            test("session and mapper events fire in order through a unit of work") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val rec = Recorder()
                    val onMapper = items.listen(rec)
                    try {
                        AsyncSession(engine).use { s ->
                            s.listen(rec)
                            val item = EvItem(name = "one")
                            s.add(item)
                            s.commit()
                            rec.heard shouldContainExactly
                                listOf(
                                    "afterAttach",
                                    "beforeCommit",
                                    "beforeFlush",
                                    "afterBegin",
                                    "beforeInsert",
                                    "afterInsert",
                                    "afterFlush",
                                    "pendingToPersistent",
                                    "afterFlushPostexec",
                                    "afterCommit",
                                )
                            rec.heard.clear()
                            // A query reaches the expired object: loaded. A change: update events,
                            // and beforeUpdate's own change is written.
                            s.get<EvItem>(item.id!!)
                            item.name = "two"
                            s.flush()
                            rec.heard shouldContainExactly
                                listOf(
                                    "afterBegin",
                                    "loaded",
                                    "beforeFlush",
                                    "beforeUpdate",
                                    "afterUpdate",
                                    "afterFlush",
                                    "afterFlushPostexec",
                                )
                            rec.heard.clear()
                            s.delete(item)
                            s.flush()
                            s.rollback()
                            rec.heard shouldContainExactly
                                listOf(
                                    "beforeFlush",
                                    "beforeDelete",
                                    "afterDelete",
                                    "afterFlush",
                                    "afterFlushPostexec",
                                    "afterRollback",
                                )
                        }
                    } finally {
                        onMapper.remove()
                    }
                    AsyncSession(engine).use { s ->
                        val item = s.scalars<EvItem>(select<EvItem>()).one()!!
                        item.name shouldBe "one" // the update was rolled back
                    }
                }
            }

            test("listeners do IO through the session that fired them") {
                withEngine(db) { engine ->
                    fresh(engine)
                    var seenAtCommit = -1
                    val listener =
                        object : AsyncSessionListener {
                            override suspend fun beforeFlush(session: AsyncSession) {
                                // Objects added here are part of this flush.
                                for (o in session.new) {
                                    if (o is EvItem) session.add(EvAudit(what = "add ${o.name}"))
                                }
                            }

                            override suspend fun beforeCommit(session: AsyncSession) {
                                // A query inside the commit, through the session: not refused.
                                seenAtCommit =
                                    (session.scalar(Sql.text("SELECT count(*) FROM orm_ev_audit"))
                                            as Number)
                                        .toInt()
                            }
                        }
                    AsyncSession(engine).use { s ->
                        s.listen(listener)
                        s.add(EvItem(name = "a"))
                        s.flush()
                        s.add(EvItem(name = "b"))
                        s.commit()
                    }

                    count(engine, "orm_ev_audit") shouldBe 2
                    count(engine, "orm_ev_items") shouldBe 2
                }
            }

            test(
                "while a listener runs, another coroutine's call is refused; the listener's pass"
            ) {
                withEngine(db) { engine ->
                    fresh(engine)
                    val release = CompletableDeferred<Unit>()
                    val running = CompletableDeferred<Unit>()
                    var seen = -1
                    AsyncSession(engine).use { s ->
                        s.listen(
                            object : AsyncSessionListener {
                                override suspend fun beforeCommit(session: AsyncSession) {
                                    running.complete(Unit)
                                    release.await()
                                    // The outer session object, from the listener's coroutine:
                                    // its context says it is the commit's own call.
                                    seen =
                                        (s.scalar(Sql.text("SELECT count(*) FROM orm_ev_items"))
                                                as Number)
                                            .toInt()
                                }
                            }
                        )
                        s.add(EvItem(name = "guarded"))
                        coroutineScope {
                            val commit = async { s.commit() }
                            running.await()
                            val refused =
                                shouldThrow<InvalidRequestException> {
                                    s.scalar(Sql.text("SELECT 1"))
                                }
                            refused.message shouldContain "busy with commit()"
                            refused.message shouldContain "the session the listener was given"
                            shouldThrow<InvalidRequestException> { s.flush() }
                            shouldThrow<InvalidRequestException> { s.get<EvItem>(1L) }
                            release.complete(Unit)
                            commit.await()
                        }
                        seen shouldBe 1
                    }
                    count(engine, "orm_ev_items") shouldBe 1
                    awaitPoolQuiet(engine)
                }
            }

            test("a failing listener fails the operation and rolls back; nothing is lost") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val reg =
                            s.listen(
                                object : AsyncSessionListener {
                                    override suspend fun beforeCommit(session: AsyncSession) {
                                        throw IllegalStateException("audit service down")
                                    }
                                }
                            )
                        val item = EvItem(name = "x")
                        s.add(item)
                        s.flush()
                        shouldThrow<IllegalStateException> { s.commit() }.message shouldBe
                            "audit service down"
                        shouldThrow<PendingRollbackException> { s.flush() }.message shouldContain
                            "during beforeCommit"
                        count(engine, "orm_ev_items") shouldBe 0
                        s.rollback()
                        reg.remove()
                        s.add(item) // transient again after the rollback: added anew
                        s.commit()
                    }
                    count(engine, "orm_ev_items") shouldBe 1
                    awaitPoolQuiet(engine)
                }
            }

            test("a listener that flushes inside a flush is refused with a clear error") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.listen(
                            object : AsyncSessionListener {
                                override suspend fun beforeFlush(session: AsyncSession) {
                                    session.flush()
                                }
                            }
                        )
                        s.add(EvItem(name = "x"))
                        shouldThrow<InvalidRequestException> { s.flush() }.message shouldContain
                            "already flushing"
                        s.rollback()
                    }
                }
            }

            test("factory, global and blocking listeners") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val factory = asyncSessionmaker(engine)
                    val fromFactory = mutableListOf<String>()
                    factory.listen(
                        object : AsyncSessionListener {
                            override suspend fun afterCommit(session: AsyncSession) {
                                fromFactory += "factory"
                            }
                        }
                    )
                    val global = mutableListOf<String>()
                    val g =
                        AsyncSessionListener.addGlobal(
                            object : AsyncSessionListener {
                                override suspend fun afterCommit(session: AsyncSession) {
                                    if (session.info["tag"] == "spec") global += "global"
                                }
                            }
                        )
                    try {
                        factory.begin { s ->
                            s.info["tag"] = "spec"
                            s.listenBlocking(
                                object : BlockingSessionListener {
                                    override fun beforeCommit(session: SyncSession) {
                                        Thread.currentThread().isVirtual shouldBe true
                                        session.add(EvAudit(what = "blocking"))
                                        session.flush()
                                    }
                                }
                            )
                            s.add(EvItem(name = "f"))
                        }
                        AsyncSession(engine).use { s ->
                            s.info["tag"] = "other"
                            s.add(EvItem(name = "plain"))
                            s.commit()
                        }
                    } finally {
                        g.remove()
                    }
                    fromFactory shouldBe listOf("factory")
                    global shouldBe listOf("global")
                    count(engine, "orm_ev_audit") shouldBe 1
                }
            }
        }
    })
