package dev.athanor.coroutines

import dev.athanor.engine.EngineListener
import dev.athanor.engine.ExecuteContext
import dev.athanor.sql.Sql.text
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.random.Random
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull

/**
 * A transaction block of a connection the caller keeps (`conn.begin { }`, `conn.beginNested { }`)
 * cancelled before its BEGIN or SAVEPOINT has answered. The begin runs to its end all the same (an
 * operation is never cut short on the driver); what it began must not stay open for the caller's
 * next statements to run in.
 *
 * The connection is kept busy by an abandoned UPDATE that waits for a row lock another connection
 * holds, so the block's begin is still queued behind it when the block is cancelled.
 */
class CancelledBeginSpec :
    FunSpec({
        suspend fun createItems(engine: AsyncEngine) {
            engine.begin { c ->
                c.execute(text("DROP TABLE IF EXISTS cbegin_item"))
                c.execute(text("CREATE TABLE cbegin_item (id INT PRIMARY KEY, name VARCHAR(20))"))
                c.execute(text("INSERT INTO cbegin_item VALUES (1, 'before')"))
            }
        }

        /** Another connection's transaction holds row 1's lock until it rolls back. */
        suspend fun lockRowOne(engine: AsyncEngine): AsyncConnection {
            val holder = engine.connect()
            holder.begin()
            holder.execute(text("UPDATE cbegin_item SET name = 'holder' WHERE id = 1"))
            return holder
        }

        /** Sends an UPDATE that waits for row 1's lock, and stops waiting for it. */
        suspend fun abandonWaitingUpdate(conn: AsyncConnection) = coroutineScope {
            val sent = CompletableDeferred<Unit>()
            conn.events.add(
                object : EngineListener {
                    override fun beforeExecute(context: ExecuteContext) {
                        if ("'stmt'" in context.sql()) sent.complete(Unit)
                    }
                }
            )
            val stmt = launch {
                conn.execute(text("UPDATE cbegin_item SET name = 'stmt' WHERE id = 1"))
            }
            withTimeout(10_000) { sent.await() }
            stmt.cancelAndJoin()
        }

        suspend fun names(engine: AsyncEngine): Map<Int, String> = engine.connect { c ->
            c.execute(text("SELECT id, name FROM cbegin_item ORDER BY id")).all().associate {
                (it!![0] as Number).toInt() to it[1] as String
            }
        }

        eachDatabase { db ->
            test("a nested block cancelled before its SAVEPOINT answered leaves no savepoint") {
                withEngine(db) { engine ->
                    createItems(engine)
                    val holder = lockRowOne(engine)
                    val conn = engine.connect()
                    try {
                        conn.begin()
                        abandonWaitingUpdate(conn)
                        // The block's SAVEPOINT is queued behind the waiting UPDATE.
                        coroutineScope {
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    conn.beginNested { error("the block's work must not run") }
                                }
                                .cancelAndJoin()
                        }
                        holder.rollback()
                        holder.close()
                        conn.execute(text("INSERT INTO cbegin_item VALUES (2, 'after')"))
                        withClue("no savepoint of the cancelled block is left") {
                            conn.inNestedTransaction() shouldBe false
                        }
                        conn.inTransaction() shouldBe true
                        // A savepoint begun now is the only one: rolling it back keeps row 2.
                        conn.beginNested { sp ->
                            conn.execute(text("INSERT INTO cbegin_item VALUES (3, 'inner')"))
                            sp.rollback()
                        }
                        conn.inNestedTransaction() shouldBe false
                        conn.commit()
                    } finally {
                        conn.close()
                    }
                    names(engine) shouldBe mapOf(1 to "stmt", 2 to "after")
                }
            }

            test("a block cancelled before its BEGIN answered leaves no transaction") {
                withEngine(db) { engine ->
                    createItems(engine)
                    val holder = lockRowOne(engine)
                    val conn = engine.connect()
                    try {
                        abandonWaitingUpdate(conn) // began a transaction of its own
                        coroutineScope {
                            launch(start = CoroutineStart.UNDISPATCHED) { conn.rollback() }
                                .cancelAndJoin()
                            // The block's begin is queued behind the UPDATE and the ROLLBACK.
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    conn.begin { error("the block's work must not run") }
                                }
                                .cancelAndJoin()
                        }
                        holder.rollback()
                        holder.close()
                        // Refused with "already has a transaction in progress" if it stayed.
                        conn.begin {
                            conn.execute(text("INSERT INTO cbegin_item VALUES (2, 'after')"))
                        }
                        conn.inTransaction() shouldBe false
                    } finally {
                        conn.close()
                    }
                    names(engine) shouldBe mapOf(1 to "before", 2 to "after")
                }
            }

            test("blocks cancelled at any moment leave the kept connection outside them") {
                withEngine(db) { engine ->
                    createItems(engine)
                    val conn = engine.connect()
                    val random = Random(7)
                    val returned = mutableListOf<Int>()
                    try {
                        repeat(150) { i ->
                            val nested = i % 2 == 1
                            if (nested) conn.begin()
                            val id = 10 + i
                            val done =
                                withTimeoutOrNull(random.nextLong(0, 3)) {
                                    val work: suspend (AsyncTransaction) -> Unit = {
                                        conn.execute(
                                            text("INSERT INTO cbegin_item VALUES ($id, 'b')")
                                        )
                                    }
                                    if (nested) conn.beginNested(work) else conn.begin(work)
                                }
                            if (done != null) returned += id
                            // What the cancelled block began may still be ending: the next
                            // operation queues behind it and finds nothing of it (a block of its
                            // own is refused while a transaction stays open).
                            withClue("iteration $i, nested = $nested, done = $done") {
                                if (nested) {
                                    conn.execute(text("SELECT 1")).all()
                                    conn.inNestedTransaction() shouldBe false
                                    conn.inTransaction() shouldBe true
                                    conn.commit()
                                } else {
                                    conn.begin { conn.execute(text("SELECT 1")).all() }
                                }
                                conn.inTransaction() shouldBe false
                            }
                        }
                    } finally {
                        conn.close()
                    }
                    val ids = names(engine).keys
                    withClue("every block that returned kept its row") {
                        ids.containsAll(returned) shouldBe true
                    }
                    engine.poolStatus!!.checkedOut shouldBe 0
                }
            }
        }
    })
