package dev.athanor.coroutines

import dev.athanor.sql.Sql.text
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout

/**
 * A `commit()` or `rollback()` asked for while abandoned operations are still queued on the
 * connection ends the transaction in progress when its turn comes: the one a queued statement
 * begins when it runs, not the one (or none) there when it was asked for.
 */
class QueuedEndSpec :
    FunSpec({
        val table = "qend_item"

        eachDatabase { db ->
            test("a commit queued behind a rollback and a statement commits that statement") {
                withEngine(db) { engine ->
                    createLockItems(engine, table)
                    val holder = lockRowOne(engine, table)
                    val conn = engine.connect()
                    try {
                        coroutineScope {
                            // Waits for the row lock: everything below queues behind it.
                            abandonWaitingUpdate(conn, table)
                            // Rolls back the UPDATE's transaction; the INSERT then begins another.
                            launch(start = CoroutineStart.UNDISPATCHED) { conn.rollback() }
                                .cancelAndJoin()
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    conn.execute(text("INSERT INTO $table VALUES (2, 'kept')"))
                                }
                                .cancelAndJoin()
                            val commit = launch { conn.commit() }
                            holder.rollback()
                            holder.close()
                            withTimeout(10_000) { commit.join() }
                        }
                        conn.inTransaction() shouldBe false
                    } finally {
                        conn.close()
                    }
                    itemNames(engine, table) shouldBe mapOf(1 to "before", 2 to "kept")
                }
            }
        }
    })
