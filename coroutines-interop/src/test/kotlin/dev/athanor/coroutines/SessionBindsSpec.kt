package dev.athanor.coroutines

import dev.athanor.error.ArgumentException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Types
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.random.Random
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.yield

@Entity(table = "binds_order")
class BoundOrder(
    @Id var id: Long? = null,
    @Column(length = 20, nullable = false) var item: String = "",
)

@Entity(table = "binds_audit")
class BoundAudit(
    @Id var id: Long? = null,
    @Column(length = 40, nullable = false) var what: String = "",
)

/**
 * A session over two databases: [BoundAudit] is bound to a second engine (an H2 database of its
 * own), everything else runs on the default engine. Statements, flushes, savepoints, commit and
 * rollback each reach the right database; every connection goes back to its pool.
 */
class SessionBindsSpec :
    FunSpec({
        val registry = Registry()
        registry.map(BoundOrder::class.java)
        registry.map(BoundAudit::class.java)
        val plain = MetaData()
        val notes = plain.table("binds_note", column("id", Types.INTEGER).primaryKey())

        /** Runs [block] with the default engine on [db] and an audit engine on a fresh H2. */
        suspend fun withTwo(
            db: TestDatabases.Db,
            block: suspend (orders: AsyncEngine, audit: AsyncEngine) -> Unit,
        ) = withOrdersAndAudit(db, listOf(registry.metadata(), plain), block)

        suspend fun count(engine: AsyncEngine, table: String): Long = engine.connect {
            (it.scalar(Sql.text("SELECT count(*) FROM $table")) as Number).toLong()
        }

        fun makerOf(orders: AsyncEngine, audit: AsyncEngine) =
            asyncSessionmaker(orders) { binds = mapOf(BoundAudit::class to audit, notes to audit) }

        eachDatabase { db ->
            test("a flush writes each class's rows to its own database, and commit commits both") {
                withTwo(db) { orders, audit ->
                    makerOf(orders, audit).begin { s ->
                        s.add(BoundOrder(1, "book"))
                        s.add(BoundAudit(1, "ordered book"))
                    }
                    count(orders, "binds_order") shouldBe 1L
                    count(orders, "binds_audit") shouldBe 0L
                    count(audit, "binds_audit") shouldBe 1L
                    count(audit, "binds_order") shouldBe 0L
                }
            }

            test("queries, get and Core statements go to the bound database") {
                withTwo(db) { orders, audit ->
                    audit.begin {
                        it.execute(Sql.text("INSERT INTO binds_audit VALUES (7, 'seen')"))
                    }
                    audit.begin { it.execute(Sql.insert(notes).values(mapOf("id" to 3))) }
                    val sessions = makerOf(orders, audit)
                    sessions().use { s ->
                        s.get<BoundAudit>(7)!!.what shouldBe "seen"
                        s.scalars<BoundAudit>(select<BoundAudit>()).all().map {
                            it!!.id
                        } shouldContainExactly listOf(7L)
                        s.scalar(Sql.select(notes.c<Int>("id"))) shouldBe 3
                        s.get<BoundOrder>(7) shouldBe null
                        s.execute(Sql.insert(notes).values(mapOf("id" to 4)))
                        s.commit()
                    }
                    count(audit, "binds_note") shouldBe 2L
                    count(orders, "binds_note") shouldBe 0L
                }
            }

            test("getBind names the engine by class, by statement and by table") {
                withTwo(db) { orders, audit ->
                    val s = makerOf(orders, audit)()
                    try {
                        s.getBind() shouldBe orders
                        s.getBind(BoundAudit::class.java) shouldBe audit
                        s.getBind(BoundOrder::class.java) shouldBe orders
                        s.getBind(statement = select<BoundAudit>()) shouldBe audit
                        s.getBind(statement = Sql.select(notes.c<Int>("id"))) shouldBe audit
                        s.getBind(statement = Sql.delete(notes)) shouldBe audit
                        s.getBind(statement = Sql.text("SELECT 1")) shouldBe orders
                        val pinned =
                            select<BoundAudit>()
                                .executionOptions(
                                    ExecutionOptions.DEFAULTS.with(Session.BIND, orders.core)
                                )
                        s.getBind(statement = pinned) shouldBe orders
                    } finally {
                        s.close()
                    }
                }
            }

            test("rollback undoes the writes in both databases") {
                withTwo(db) { orders, audit ->
                    val s = makerOf(orders, audit)()
                    s.add(BoundOrder(1, "book"))
                    s.add(BoundAudit(1, "ordered"))
                    s.flush()
                    s.inTransaction() shouldBe true
                    s.rollback()
                    s.close()
                    count(orders, "binds_order") shouldBe 0L
                    count(audit, "binds_audit") shouldBe 0L
                }
            }

            test("a savepoint spans both databases, also one that joins after it began") {
                withTwo(db) { orders, audit ->
                    val s = makerOf(orders, audit)()
                    s.add(BoundOrder(1, "kept"))
                    s.flush() // only the orders connection is in the transaction
                    val sp = s.beginNested()
                    s.add(BoundOrder(2, "undone"))
                    s.add(
                        BoundAudit(2, "undone")
                    ) // the audit connection joins inside the savepoint
                    s.flush()
                    sp.rollback()
                    s.add(BoundAudit(3, "kept"))
                    s.commit()
                    s.close()
                    count(orders, "binds_order") shouldBe 1L
                    audit.connect {
                        it.scalar(Sql.text("SELECT what FROM binds_audit")) shouldBe "kept"
                    }
                    count(audit, "binds_audit") shouldBe 1L
                }
            }

            test("each connection that joins fires afterBegin once") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    val began = mutableListOf<Boolean>()
                    sessions.listen(
                        object : AsyncSessionListener {
                            override suspend fun afterBegin(
                                session: AsyncSession,
                                connection: AsyncConnection,
                            ) {
                                began += true
                            }
                        }
                    )
                    sessions.begin { s ->
                        s.add(BoundOrder(1, "a"))
                        s.add(BoundAudit(1, "b"))
                        s.flush()
                        s.add(BoundOrder(2, "c"))
                    }
                    began.size shouldBe 2
                }
            }

            test("a failed flush on the bound database rolls back both and waits for rollback") {
                withTwo(db) { orders, audit ->
                    val s = makerOf(orders, audit)()
                    s.add(BoundOrder(1, "a"))
                    s.flush()
                    s.add(BoundAudit(1, "x"))
                    s.add(BoundAudit(2, "y"))
                    s.flush()
                    s.add(BoundAudit(1, "duplicate"))
                    shouldThrow<dev.athanor.error.IntegrityException> { s.flush() }
                    shouldThrow<dev.athanor.error.PendingRollbackException> {
                            s.execute(select<BoundOrder>())
                        }
                        .message shouldContain "rollback()"
                    s.rollback()
                    s.close()
                    count(orders, "binds_order") shouldBe 0L
                    count(audit, "binds_audit") shouldBe 0L
                }
            }

            test("binds keyed by something that is not a class, mapper or table are refused") {
                withTwo(db) { orders, audit ->
                    val e =
                        shouldThrow<ArgumentException> {
                            asyncSessionmaker(orders) { binds = mapOf("binds_audit" to audit) }
                        }
                    e.message shouldContain "mapped class, a Mapper or a Table"
                }
            }

            test("cancelled at random points, no connection of either engine stays out") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    val random = Random(db.name.hashCode())
                    for (i in 1..200) {
                        val job = launch {
                            sessions.begin { s ->
                                s.add(BoundOrder(100L + i, "o$i"))
                                s.flush()
                                yield()
                                s.add(BoundAudit(100L + i, "a$i"))
                                s.flush()
                            }
                        }
                        delay(random.nextLong(0, 4))
                        job.cancel()
                        job.join()
                    }
                    awaitPoolQuiet(orders, "orders")
                    awaitPoolQuiet(audit, "audit")
                    // The session factory still works on both engines.
                    sessions.begin { s ->
                        s.add(BoundOrder(1, "after"))
                        s.add(BoundAudit(1, "after"))
                    }
                    orders.connect {
                        it.scalar(Sql.text("SELECT item FROM binds_order WHERE id = 1"))
                    } shouldBe "after"
                    audit.connect {
                        it.scalar(Sql.text("SELECT what FROM binds_audit WHERE id = 1"))
                    } shouldBe "after"
                }
            }

            test("cancelled while the two engines commit, no connection stays out") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    val random = Random(db.name.hashCode() + 1)
                    for (i in 1..200) {
                        var committing = false
                        val job = launch {
                            sessions.begin { s ->
                                s.add(BoundOrder(1000L + i, "o$i"))
                                s.add(BoundAudit(1000L + i, "a$i"))
                                s.flush()
                                committing = true // the commit starts when the block returns
                            }
                        }
                        while (!committing && job.isActive) yield()
                        delay(random.nextLong(0, 2))
                        job.cancel()
                        job.join()
                    }
                    awaitPoolQuiet(orders, "orders")
                    awaitPoolQuiet(audit, "audit")
                }
            }
        }
    })
