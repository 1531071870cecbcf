package dev.athanor.coroutines

import dev.athanor.engine.EngineListener
import dev.athanor.engine.ExecuteContext
import dev.athanor.sql.Sql.text
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
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
        eachDatabase { db ->
            test("a commit queued behind a rollback and a statement commits that statement") {
                withEngine(db) { engine ->
                    engine.begin { c ->
                        c.execute(text("DROP TABLE IF EXISTS qend_item"))
                        c.execute(
                            text("CREATE TABLE qend_item (id INT PRIMARY KEY, name VARCHAR(20))")
                        )
                        c.execute(text("INSERT INTO qend_item VALUES (1, 'before')"))
                    }
                    val holder = engine.connect()
                    holder.begin()
                    holder.execute(text("UPDATE qend_item SET name = 'holder' WHERE id = 1"))
                    val conn = engine.connect()
                    try {
                        val sent = CompletableDeferred<Unit>()
                        conn.events.add(
                            object : EngineListener {
                                override fun beforeExecute(context: ExecuteContext) {
                                    if ("'stmt'" in context.sql()) sent.complete(Unit)
                                }
                            }
                        )
                        coroutineScope {
                            // Waits for the row lock: everything below queues behind it.
                            val stmt = launch {
                                conn.execute(
                                    text("UPDATE qend_item SET name = 'stmt' WHERE id = 1")
                                )
                            }
                            withTimeout(10_000) { sent.await() }
                            stmt.cancelAndJoin()
                            // Rolls back the UPDATE's transaction; the INSERT then begins another.
                            launch(start = CoroutineStart.UNDISPATCHED) { conn.rollback() }
                                .cancelAndJoin()
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    conn.execute(text("INSERT INTO qend_item VALUES (2, 'kept')"))
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
                    val rows = engine.connect { c ->
                        c.execute(text("SELECT id, name FROM qend_item ORDER BY id")).all().map {
                            (it!![0] as Number).toInt() to it[1] as String
                        }
                    }
                    rows shouldBe listOf(1 to "before", 2 to "kept")
                }
            }
        }
    })
