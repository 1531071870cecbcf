package dev.athanor.coroutines

import dev.athanor.sql.Sql.text
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.random.Random
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
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
        val table = "cbegin_item"

        eachDatabase { db ->
            test("a nested block cancelled before its SAVEPOINT answered leaves no savepoint") {
                withEngine(db) { engine ->
                    createLockItems(engine, table)
                    val holder = lockRowOne(engine, table)
                    val conn = engine.connect()
                    try {
                        conn.begin()
                        abandonWaitingUpdate(conn, table)
                        // The block's SAVEPOINT is queued behind the waiting UPDATE.
                        coroutineScope {
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    conn.beginNested { error("the block's work must not run") }
                                }
                                .cancelAndJoin()
                        }
                        holder.rollback()
                        holder.close()
                        conn.execute(text("INSERT INTO $table VALUES (2, 'after')"))
                        withClue("no savepoint of the cancelled block is left") {
                            conn.inNestedTransaction() shouldBe false
                        }
                        conn.inTransaction() shouldBe true
                        // A savepoint begun now is the only one: rolling it back keeps row 2.
                        conn.beginNested { sp ->
                            conn.execute(text("INSERT INTO $table VALUES (3, 'inner')"))
                            sp.rollback()
                        }
                        conn.inNestedTransaction() shouldBe false
                        conn.commit()
                    } finally {
                        conn.close()
                    }
                    itemNames(engine, table) shouldBe mapOf(1 to "stmt", 2 to "after")
                }
            }

            test("a block cancelled before its BEGIN answered leaves no transaction") {
                withEngine(db) { engine ->
                    createLockItems(engine, table)
                    val holder = lockRowOne(engine, table)
                    val conn = engine.connect()
                    try {
                        abandonWaitingUpdate(conn, table) // began a transaction of its own
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
                            conn.execute(text("INSERT INTO $table VALUES (2, 'after')"))
                        }
                        conn.inTransaction() shouldBe false
                    } finally {
                        conn.close()
                    }
                    itemNames(engine, table) shouldBe mapOf(1 to "before", 2 to "after")
                }
            }

            test("blocks cancelled at any moment leave the kept connection outside them") {
                withEngine(db) { engine ->
                    createLockItems(engine, table)
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
                                        conn.execute(text("INSERT INTO $table VALUES ($id, 'b')"))
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
                    val ids = itemNames(engine, table).keys
                    withClue("every block that returned kept its row") {
                        ids.containsAll(returned) shouldBe true
                    }
                    engine.poolStatus!!.checkedOut shouldBe 0
                }
            }
        }
    })
