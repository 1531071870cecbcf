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
 * A session's `beginNested { }` cancelled before its savepoint level opened: the SAVEPOINT it sent
 * (or still has queued) must not stay open on the session's connection with no level to end it.
 */
class SessionCancelledSavepointSpec :
    FunSpec({
        val table = "sp_cancel_item"

        eachDatabase { db ->
            test("a savepoint level cancelled while its SAVEPOINT is queued leaves none open") {
                withEngine(db) { engine ->
                    createLockItems(engine, table)
                    val holder = lockRowOne(engine, table)
                    val s = AsyncSession(engine)
                    try {
                        s.execute(text("SELECT 1")) // the session's connection joins
                        val conn = s.connection()
                        coroutineScope {
                            // An UPDATE through the session, waiting for the row lock, abandoned.
                            abandonWaitingUpdate(conn, table) { s.execute(it) }
                            // The level's SAVEPOINT is queued behind it.
                            launch(start = CoroutineStart.UNDISPATCHED) {
                                    s.beginNested { error("the level's block must not run") }
                                }
                                .cancelAndJoin()
                        }
                        holder.rollback()
                        holder.close()
                        s.execute(text("INSERT INTO $table VALUES (2, 'after')"))
                        s.inNestedTransaction() shouldBe false
                        withClue("no SAVEPOINT of the cancelled level is left on the connection") {
                            conn.inNestedTransaction() shouldBe false
                        }
                        s.commit()
                    } finally {
                        s.close()
                    }
                    itemNames(engine, table).size shouldBe 2
                }
            }

            test("savepoint levels cancelled at any moment leave none open") {
                withEngine(db) { engine ->
                    createLockItems(engine, table)
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
