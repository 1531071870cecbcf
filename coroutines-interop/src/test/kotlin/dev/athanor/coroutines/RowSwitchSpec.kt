package dev.athanor.coroutines

import dev.athanor.error.StaleDataException
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Mapper
import dev.athanor.session.Registry
import dev.athanor.session.Version
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.CopyOnWriteArrayList

@Entity(table = "orm_switch_seats")
class OrmSeat(
    @Id(generated = false) var code: String? = null,
    var holder: String? = null,
    var note: String? = null,
    @Version var version: Int? = null,
)

/**
 * A row switch: a new object given the key of an object deleted in the same flush takes over the
 * row with one UPDATE (an INSERT would break the key's constraint, as DELETEs run last).
 */
class RowSwitchSpec :
    FunSpec({
        val registry = Registry()
        val seats = registry.map(OrmSeat::class.java)

        /**
         * Records the write events of the seats' mapper and the session, with each seat's holder.
         */
        class Heard : AsyncMapperListener, AsyncSessionListener {
            val events = CopyOnWriteArrayList<String>()

            fun seat(what: String, target: Any) {
                events += what + ":" + (target as OrmSeat).holder
            }

            override suspend fun beforeInsert(m: Mapper<*>, c: AsyncConnection, target: Any) =
                seat("beforeInsert", target)

            override suspend fun afterInsert(m: Mapper<*>, c: AsyncConnection, target: Any) =
                seat("afterInsert", target)

            override suspend fun beforeUpdate(m: Mapper<*>, c: AsyncConnection, target: Any) =
                seat("beforeUpdate", target)

            override suspend fun afterUpdate(m: Mapper<*>, c: AsyncConnection, target: Any) =
                seat("afterUpdate", target)

            override suspend fun beforeDelete(m: Mapper<*>, c: AsyncConnection, target: Any) =
                seat("beforeDelete", target)

            override suspend fun afterDelete(m: Mapper<*>, c: AsyncConnection, target: Any) =
                seat("afterDelete", target)

            override fun pendingToPersistent(session: AsyncSession, entity: Any) =
                seat("pendingToPersistent", entity)
        }

        suspend fun seeded(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
            AsyncSession(engine).use { s ->
                s.addAll(listOf(OrmSeat("1A", "ann", "aisle"), OrmSeat("1B", "bob", "window")))
                s.commit()
            }
        }

        suspend fun rows(engine: AsyncEngine): List<List<Any?>> = engine.connect { c ->
            c.execute(
                    Sql.text(
                        "SELECT code, holder, note, version FROM orm_switch_seats ORDER BY code"
                    )
                )
                .all()
                .map { r -> listOf(r!![0], r[1], r[2], (r[3] as Number).toInt()) }
        }

        /** The verbs of the writes the engine sends from now on. */
        fun writes(engine: AsyncEngine): () -> List<String> {
            val sql = engine.recordStatements()
            return {
                sql.map { it.trimStart().substringBefore(' ').uppercase() }
                    .filter { it in setOf("INSERT", "UPDATE", "DELETE") }
            }
        }

        eachDatabase { db ->
            test("a new object with a deleted object's key takes over its row with one UPDATE") {
                withEngine(db) { engine ->
                    seeded(engine)
                    val sent = writes(engine)
                    AsyncSession(engine).use { s ->
                        val old = s.get<OrmSeat>("1A")!!
                        s.delete(old)
                        val new = OrmSeat("1A", "cid")
                        s.add(new)
                        s.flush()
                        sent() shouldBe listOf("UPDATE")
                        s.inspect(new).status() shouldBe Status.PERSISTENT
                        s.inspect(old).status() shouldBe Status.DELETED
                        new.version shouldBe 2 // the row's version counter goes on
                        s.get<OrmSeat>("1A") shouldBeSameInstanceAs new
                        s.isModified(new) shouldBe false
                        s.commit()
                        s.inspect(old).status() shouldBe Status.DETACHED
                    }
                    // Every column is the new object's (its NULL note included).
                    rows(engine) shouldBe
                        listOf(listOf("1A", "cid", null, 2), listOf("1B", "bob", "window", 1))
                }
            }

            test("a row switch is an insert then an update to listeners, and no delete") {
                withEngine(db) { engine ->
                    seeded(engine)
                    val heard = Heard()
                    val onMapper = seats.listen(heard)
                    try {
                        AsyncSession(engine).use { s ->
                            s.listen(heard)
                            s.delete(s.get<OrmSeat>("1A")!!)
                            s.add(OrmSeat("1A", "hal"))
                            s.commit()
                        }
                    } finally {
                        onMapper.remove()
                    }
                    heard.events shouldBe
                        listOf("beforeInsert:hal", "afterUpdate:hal", "pendingToPersistent:hal")
                }
            }

            test(
                "a rolled back row switch leaves the old object persistent, the new one transient"
            ) {
                withEngine(db) { engine ->
                    seeded(engine)
                    AsyncSession(engine).use { s ->
                        val old = s.get<OrmSeat>("1B")!!
                        s.delete(old)
                        val new = OrmSeat("1B", "dee", "middle")
                        s.add(new)
                        s.flush()
                        s.rollback()
                        s.inspect(new).status() shouldBe Status.TRANSIENT
                        s.inspect(old).status() shouldBe Status.PERSISTENT
                        s.get<OrmSeat>("1B") shouldBeSameInstanceAs old
                        old.holder shouldBe "bob"
                    }
                    rows(engine) shouldBe
                        listOf(listOf("1A", "ann", "aisle", 1), listOf("1B", "bob", "window", 1))
                }
            }

            test("a row switch on a row changed by someone else since it was loaded is stale") {
                withEngine(db) { engine ->
                    seeded(engine)
                    AsyncSession(engine).use { s ->
                        val old = s.get<OrmSeat>("1A")!!
                        engine.begin { c ->
                            c.execute(
                                Sql.text(
                                    "UPDATE orm_switch_seats SET version = 5 WHERE code = '1A'"
                                )
                            )
                        }
                        s.delete(old)
                        s.add(OrmSeat("1A", "eve"))
                        shouldThrow<StaleDataException> { s.flush() }.message!! shouldStartWith
                            "UPDATE of OrmSeat"
                        s.rollback()
                    }
                    rows(engine)[0] shouldBe listOf("1A", "ann", "aisle", 5)
                }
            }

            test("a row switch of an object expired by a commit uses its version") {
                withEngine(db) { engine ->
                    seeded(engine)
                    AsyncSession(engine).use { s ->
                        val old = s.get<OrmSeat>("1B")!!
                        old.note = "aisle"
                        s.commit() // version 2; the object is expired
                        s.inspect(old).isExpired shouldBe true
                        s.delete(old)
                        val new = OrmSeat("1B", "ida")
                        s.add(new)
                        s.commit()
                        new.version shouldBe 3
                    }
                    rows(engine)[1] shouldBe listOf("1B", "ida", null, 3)
                }
            }

            test("a new object with a key deleted in an earlier flush is inserted") {
                withEngine(db) { engine ->
                    seeded(engine)
                    val sent = writes(engine)
                    AsyncSession(engine).use { s ->
                        s.delete(s.get<OrmSeat>("1A")!!)
                        s.flush()
                        s.add(OrmSeat("1A", "fay"))
                        s.add(OrmSeat("1C", "gus"))
                        s.commit()
                    }
                    sent() shouldBe listOf("DELETE", "INSERT")
                    rows(engine).map { it[1] } shouldBe listOf("fay", "bob", "gus")
                }
            }
        }
    })
