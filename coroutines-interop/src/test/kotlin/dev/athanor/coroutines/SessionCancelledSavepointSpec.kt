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
 * A session's `beginNested { }` cancelled before its savepoint level opened: the SAVEPOINT it sent
 * (or still has queued) must not stay open on the session's connection with no level to end it.
 */
class SessionCancelledSavepointSpec :
    FunSpec({
        suspend fun createItems(engine: AsyncEngine) {
            engine.begin { c ->
                c.execute(text("DROP TABLE IF EXISTS sp_cancel_item"))
                c.execute(
                    text("CREATE TABLE sp_cancel_item (id INT PRIMARY KEY, name VARCHAR(20))")
                )
                c.execute(text("INSERT INTO sp_cancel_item VALUES (1, 'before')"))
            }
        }

        eachDatabase { db ->
            test("a savepoint level cancelled while its SAVEPOINT is queued leaves none open") {
                withEngine(db) { engine ->
                    createItems(engine)
                    val holder = engine.connect()
                    holder.begin()
                    holder.execute(text("UPDATE sp_cancel_item SET name = 'holder' WHERE id = 1"))
                    val s = AsyncSession(engine)
                    try {
                        s.execute(text("SELECT 1")) // the session's connection joins
                        val conn = s.connection()
                        val sent = CompletableDeferred<Unit>()
                        conn.events.add(
                            object : EngineListener {
                                override fun beforeExecute(context: ExecuteContext) {
                                    if ("'stmt'" in context.sql()) sent.complete(Unit)
                                }
                            }
                        )
                        coroutineScope {
                            // An UPDATE waiting for the row lock, abandoned by its caller.
                            val stmt = launch {
                                s.execute(
                                    text("UPDATE sp_cancel_item SET name = 'stmt' WHERE id = 1")
                                )
                            }
                            withTimeout(10_000) { sent.await() }
                            stmt.cancelAndJoin()
                            // The level's SAVEPOINT is queued behind it.
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    s.beginNested { error("the level's block must not run") }
                                }
                                .cancelAndJoin()
                        }
                        holder.rollback()
                        holder.close()
                        s.execute(text("INSERT INTO sp_cancel_item VALUES (2, 'after')"))
                        s.inNestedTransaction() shouldBe false
                        withClue("no SAVEPOINT of the cancelled level is left on the connection") {
                            conn.inNestedTransaction() shouldBe false
                        }
                        s.commit()
                    } finally {
                        s.close()
                    }
                    countRows(engine) shouldBe 2L
                }
            }

            test("savepoint levels cancelled at any moment leave none open") {
                withEngine(db) { engine ->
                    createItems(engine)
                    val s = AsyncSession(engine)
                    val random = Random(11)
                    try {
                        s.execute(text("SELECT 1"))
                        val conn = s.connection()
                        repeat(150) { i ->
                            val done =
                                withTimeoutOrNull(random.nextLong(0, 3)) {
                                    s.beginNested { s.execute(text("SELECT 1")) }
                                }
                            // The next operation queues behind what the cancelled level sent.
                            s.execute(text("SELECT 1"))
                            withClue("iteration $i, done = $done") {
                                s.inNestedTransaction() shouldBe false
                                conn.inNestedTransaction() shouldBe false
                            }
                        }
                        s.commit()
                    } finally {
                        s.close()
                    }
                    engine.poolStatus!!.checkedOut shouldBe 0
                }
            }
        }
    })

private suspend fun countRows(engine: AsyncEngine): Long = engine.connect { c ->
    (c.scalar(text("SELECT COUNT(*) FROM sp_cancel_item")) as Number).toLong()
}
