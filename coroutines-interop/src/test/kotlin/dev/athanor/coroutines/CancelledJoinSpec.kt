package dev.athanor.coroutines

import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Types
import dev.athanor.testkit.TestDatabases
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import java.util.concurrent.atomic.AtomicInteger
import kotlin.random.Random
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout

/**
 * A session over two databases whose caller is cancelled while a second connection joins its
 * transaction: during the connection's checkout, its `afterBegin` listeners, or the SAVEPOINTs it
 * repeats for the levels already open. Either the connection joins whole (in every open level, so
 * that rolling a level back undoes its work there too) or it goes back to its pool at once.
 */
class CancelledJoinSpec :
    FunSpec({
        val plain = MetaData()
        val orderTable = plain.table("join_order", column("id", Types.INTEGER).primaryKey())
        val notes = plain.table("join_note", column("id", Types.INTEGER).primaryKey())

        suspend fun withTwo(
            db: TestDatabases.Db,
            block: suspend (orders: AsyncEngine, audit: AsyncEngine) -> Unit,
        ) = withOrdersAndAudit(db, listOf(plain), block)

        /** Sessions whose statements on [notes] run on [audit], everything else on [orders]. */
        fun makerOf(orders: AsyncEngine, audit: AsyncEngine) =
            asyncSessionmaker(orders) { binds = mapOf(notes to audit) }

        /**
         * Counts `afterBegin` (once per connection that joins) and runs [second] at the second: the
         * audit connection, which joins after the orders connection.
         */
        fun countJoins(
            sessions: AsyncSessionMaker,
            second: suspend (AsyncSession) -> Unit,
        ): AtomicInteger {
            val joins = AtomicInteger()
            sessions.listen(
                object : AsyncSessionListener {
                    override suspend fun afterBegin(
                        session: AsyncSession,
                        connection: AsyncConnection,
                    ) {
                        if (joins.incrementAndGet() == 2) second(session)
                    }
                }
            )
            return joins
        }

        fun note(id: Int) = Sql.insert(notes).values(mapOf("id" to id))

        fun order(id: Int) = Sql.insert(orderTable).values(mapOf("id" to id))

        suspend fun noteIds(audit: AsyncEngine): List<Int> = audit.connect { c ->
            c.execute(Sql.text("SELECT id FROM join_note ORDER BY id")).all().map {
                (it!![0] as Number).toInt()
            }
        }

        suspend fun orderCount(orders: AsyncEngine): Long = orders.connect {
            (it.scalar(Sql.text("SELECT count(*) FROM join_order")) as Number).toLong()
        }

        eachDatabase { db ->
            test("cancelled during a joining connection's afterBegin, the savepoint spans it") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    val entered = CompletableDeferred<Unit>()
                    val gate = CompletableDeferred<Unit>()
                    countJoins(sessions) {
                        entered.complete(Unit)
                        gate.await()
                    }
                    sessions().use { s ->
                        s.execute(order(1)) // the orders connection is in the transaction
                        val sp = s.beginNested()
                        val job = launch { s.execute(note(1)) } // the audit connection joins
                        withTimeout(10_000) { entered.await() }
                        job.cancelAndJoin()
                        gate.complete(Unit)
                        s.execute(note(2)) // on the audit connection, inside the savepoint
                        sp.rollback()
                        s.execute(note(3))
                        s.commit()
                    }
                    orderCount(orders) shouldBe 1L
                    noteIds(audit) shouldContainExactly listOf(3)
                }
            }

            test("a joining connection's afterBegin listener runs statements through the session") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    // On the audit connection, the one joining: no second checkout.
                    val joins = countJoins(sessions) { it.execute(note(500)) }
                    sessions.begin { s ->
                        s.execute(order(1))
                        s.execute(note(1))
                    }
                    joins.get() shouldBe 2
                    noteIds(audit) shouldContainExactly listOf(1, 500)
                }
            }

            test("cancelled during a joining connection's checkout, it goes back at once") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    // Every connection the audit pool may open is held.
                    val holders = (1..audit.poolStatus!!.maxSize).map { audit.connect() }
                    val s = sessions()
                    try {
                        s.execute(order(1))
                        val job = launch { s.execute(note(1)) }
                        withTimeout(10_000) {
                            while (audit.poolStatus!!.pending == 0) delay(5)
                        }
                        job.cancelAndJoin()
                        holders.forEach { it.close() }
                        // The checkout ends after its caller left: the session does not keep the
                        // connection it brings, while its transaction goes on.
                        awaitPoolQuiet(audit, "a cancelled join's connection")
                        s.execute(note(2))
                        s.commit()
                    } finally {
                        holders.forEach { it.close() }
                        s.close()
                    }
                    orderCount(orders) shouldBe 1L
                    noteIds(audit) shouldContainExactly listOf(2)
                }
            }

            test("cancelled at random moments of a join inside a savepoint, nothing escapes it") {
                withTwo(db) { orders, audit ->
                    val sessions = makerOf(orders, audit)
                    val random = Random(db.name.hashCode() + 7)
                    for (i in 1..120) {
                        sessions().use { s ->
                            s.execute(order(i))
                            val sp = s.beginNested()
                            val job = launch { s.execute(note(i)) }
                            delay(random.nextLong(0, 3))
                            job.cancelAndJoin()
                            s.execute(note(1000 + i)) // the audit connection, in the level
                            sp.rollback()
                            s.commit()
                        }
                        noteIds(audit).shouldBeEmpty()
                    }
                    orderCount(orders) shouldBe 120L
                }
            }
        }
    })
