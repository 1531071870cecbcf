package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.random.Random
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

@Entity(table = "orm_ledger")
class LedgerLine(
    @Id var id: Long? = null,
    @Column(length = 20, nullable = false) var tag: String = "",
    var amount: Int = 0,
)

/**
 * The session factory and the scoped transaction: commit on return, roll back on throw or
 * cancellation, the session closed and its connection back in the pool either way; cancelled at
 * random points, a transaction of two flushes is all or nothing.
 */
class SessionFactorySpec :
    FunSpec({
        val registry = Registry()
        registry.map(LedgerLine::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun count(engine: AsyncEngine, tag: String? = null): Long =
            engine.connect {
                it.scalar(
                    Sql.text(
                        "SELECT count(*) FROM orm_ledger" +
                            if (tag == null) "" else " WHERE tag = :t"
                    ),
                    if (tag == null) emptyMap() else mapOf("t" to tag),
                )
            } as Long

        eachDatabase { db ->
            test("begin commits on return and closes the session") {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    val sessions = asyncSessionmaker(engine)
                    var seen: AsyncSession? = null
                    val line = sessions.begin { s ->
                        seen = s
                        LedgerLine(tag = "a", amount = 1).also { s.add(it) }
                    }
                    line.id shouldBe 1L
                    seen!!.isClosed shouldBe true
                    count(engine) shouldBe 1L
                    awaitPoolQuiet(engine)
                }
            }

            test("begin rolls back on throw, keeps the error, and closes the session") {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    val sessions = asyncSessionmaker(engine)
                    val e =
                        shouldThrow<IllegalStateException> {
                            sessions.begin { s ->
                                s.add(LedgerLine(tag = "b", amount = 1))
                                s.flush()
                                throw IllegalStateException("undo")
                            }
                        }
                    e.message shouldBe "undo"
                    count(engine) shouldBe 0L
                    awaitPoolQuiet(engine)
                }
            }

            test("session.begin refuses a second transaction; configure changes new sessions") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val sessions = asyncSessionmaker(engine) { expireOnCommit = false }
                    sessions.begin { s ->
                        s.add(LedgerLine(tag = "c", amount = 1))
                        shouldThrow<InvalidRequestException> { s.begin {} }.message shouldContain
                            "already has a transaction"
                    }
                    val s = sessions()
                    val line = LedgerLine(tag = "d", amount = 2)
                    s.begin { it.add(line) }
                    s.inspect(line).isExpired shouldBe false
                    sessions.configure { expireOnCommit = true }
                    val t = sessions()
                    val other = LedgerLine(tag = "e", amount = 3)
                    t.begin { it.add(other) }
                    t.inspect(other).isExpired shouldBe true
                    s.close()
                    t.close()
                }
            }

            test("a scoped session: one per coroutine, closed when the coroutine ends") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val scoped = AsyncScopedSession(asyncSessionmaker(engine))
                    val seen = java.util.Collections.synchronizedList(mutableListOf<AsyncSession>())
                    kotlinx.coroutines.coroutineScope {
                        repeat(3) { i ->
                            launch {
                                val a = scoped()
                                val b = scoped()
                                a.core shouldBe b.core // the same session within the coroutine
                                a.add(LedgerLine(tag = "s$i", amount = 0))
                                a.commit()
                                seen += a
                            }
                        }
                    }
                    seen.map { it.core }.toSet().size shouldBe 3
                    // Each coroutine's job completed: its session was closed and forgotten.
                    kotlinx.coroutines.withTimeout(5_000) {
                        while (scoped.core.size() > 0) delay(10)
                    }
                    seen.all { it.isClosed } shouldBe true
                    count(engine) shouldBe 3L
                    // A SessionScope shares one session across the coroutines inside it.
                    kotlinx.coroutines.withContext(SessionScope()) {
                        val outer = scoped()
                        kotlinx.coroutines.coroutineScope {
                            launch { scoped().core shouldBe outer.core }
                        }
                        scoped.remove()
                        outer.isClosed shouldBe true
                    }
                    awaitPoolQuiet(engine)
                }
            }

            test("cancelled at random points, a session transaction is all or nothing") {
                withEngine(db, { poolSize = 3 }) { engine ->
                    fresh(engine)
                    val sessions = asyncSessionmaker(engine)
                    val random = Random(7)
                    var cancelled = 0
                    repeat(60) { i ->
                        val tag = "t$i"
                        val limit = random.nextLong(1, 25)
                        val done =
                            withTimeoutOrNull(limit) {
                                sessions.begin { s ->
                                    s.add(LedgerLine(tag = tag, amount = 1))
                                    s.flush()
                                    yield()
                                    s.add(LedgerLine(tag = tag, amount = -1))
                                    s.flush()
                                    delay(random.nextLong(0, 5))
                                }
                            }
                        if (done == null) cancelled++
                    }
                    awaitPoolQuiet(engine, "after the cancelled sessions")
                    for (i in 0 until 60) {
                        val n = count(engine, "t$i")
                        withClue("transaction t$i has $n of its 2 rows") {
                            (n == 0L || n == 2L) shouldBe true
                        }
                    }
                    // The sum of every committed transaction is zero.
                    (engine.connect {
                            it.scalar(Sql.text("SELECT coalesce(sum(amount), 0) FROM orm_ledger"))
                        } as Number)
                        .toLong() shouldBe 0L
                    println("session cancellation on ${db.name}: $cancelled of 60 cancelled")
                }
            }
        }
    })

private inline fun <T> withClue(clue: String, block: () -> T): T =
    io.kotest.assertions.withClue(clue, block)
