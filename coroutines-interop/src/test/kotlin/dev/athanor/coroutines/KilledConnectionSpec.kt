package dev.athanor.coroutines

import dev.athanor.error.DisconnectException
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql.text
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay

/**
 * Backends killed by the server (`pg_terminate_backend`) at each point of a connection's life: the
 * victim's own operation fails with one [DisconnectException], the driver connection is discarded,
 * and no operation after it fails.
 */
class KilledConnectionSpec :
    FunSpec({
        val db = TestDatabases.all().firstOrNull { it.isPostgres }
        if (db != null) {
            val app = "athanor_killed_${System.nanoTime()}"
            val url = urlWithApp(db, app)

            suspend fun kill(checker: AsyncEngine, pid: Any?) {
                checker.connect { c ->
                    c.execute(text("SELECT pg_terminate_backend(:pid)"), mapOf("pid" to pid))
                    // Wait until the backend has gone, so the client sees its socket close.
                    var waited = 0
                    while (
                        (c.scalar(
                            text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                            mapOf("pid" to pid),
                        ) as Long) > 0
                    ) {
                        if (++waited > 1000) {
                            val state =
                                c.execute(
                                        text(
                                            "SELECT state, wait_event, query FROM pg_stat_activity WHERE pid = :pid"
                                        ),
                                        mapOf("pid" to pid),
                                    )
                                    .all()
                            throw AssertionError("backend $pid did not end: $state")
                        }
                        // pg_stat_activity is a snapshot per transaction: end it to look again.
                        c.commit()
                        delay(5)
                    }
                }
                delay(20)
            }

            /** Runs many operations after the kill; none may fail. */
            suspend fun followUps(engine: AsyncEngine, poolSize: Int) {
                var failed = 0
                val errors = mutableListOf<String>()
                repeat(20) {
                    try {
                        engine.connect { c -> c.scalar(text("SELECT 1")) } shouldBe 1
                    } catch (e: Exception) {
                        failed++
                        errors += e.toString()
                    }
                }
                withClue(errors) { failed shouldBe 0 }
                everyPooledConnectionWorks(engine, poolSize)
                awaitPoolQuiet(engine)
            }

            suspend fun <T> scenario(block: suspend (AsyncEngine, AsyncEngine) -> T) {
                withEngine(db) { checker ->
                    withEngine(url, { smallPool(2) }) { e -> block(e, checker) }
                }
            }

            test("a connection killed while idle in the pool is replaced at checkout") {
                scenario { engine, checker ->
                    val pid = engine.connect { c -> c.scalar(text("SELECT pg_backend_pid()")) }
                    kill(checker, pid)
                    followUps(engine, 2)
                }
            }

            test("killed before the first statement of a transaction: one DisconnectException") {
                scenario { engine, checker ->
                    val c = engine.connect()
                    val pid = c.scalar(text("SELECT pg_backend_pid()"))
                    c.commit() // the next statement sends its BEGIN with it
                    kill(checker, pid)
                    val e = shouldThrow<DisconnectException> { c.scalar(text("SELECT 1")) }
                    e.connectionInvalidated() shouldBe true
                    c.isInvalidated shouldBe true
                    c.close()
                    followUps(engine, 2)
                }
            }

            test("killed between statements of a transaction: nothing of it is committed") {
                scenario { engine, checker ->
                    checker.connect { c ->
                        c.execDriverSql("DROP TABLE IF EXISTS killed_rows")
                        c.execDriverSql("CREATE TABLE killed_rows (id INT)")
                        c.commit()
                    }
                    val c = engine.connect()
                    val pid = c.scalar(text("SELECT pg_backend_pid()"))
                    c.execDriverSql("INSERT INTO killed_rows VALUES (1)")
                    kill(checker, pid)
                    shouldThrow<DisconnectException> {
                        c.execDriverSql("INSERT INTO killed_rows VALUES (2)")
                    }
                    shouldThrow<dev.athanor.error.InvalidRequestException> { c.commit() }
                        .message shouldContain "invalidated"
                    c.rollback()
                    c.close()
                    followUps(engine, 2)
                    checker.connect { k ->
                        k.scalar(text("SELECT count(*) FROM killed_rows")) shouldBe 0L
                        k.execDriverSql("DROP TABLE killed_rows")
                        k.commit()
                    }
                }
            }

            test("killed mid-query: the running statement fails with DisconnectException") {
                scenario { engine, checker ->
                    val c = engine.connect()
                    val pid = c.scalar(text("SELECT pg_backend_pid()"))
                    coroutineScope {
                        val slow = async {
                            runCatching { c.execute(text("SELECT pg_sleep(5)")) }.exceptionOrNull()
                        }
                        delay(200)
                        kill(checker, pid)
                        slow.await().shouldBeInstanceOf<DisconnectException>()
                    }
                    c.close()
                    followUps(engine, 2)
                }
            }

            test("killed mid-stream: the reader gets DisconnectException, the pool stays sound") {
                scenario { engine, checker ->
                    val c = engine.connect()
                    val pid = c.scalar(text("SELECT pg_backend_pid()"))
                    val result =
                        c.stream(
                            text("SELECT g FROM generate_series(1, 1000000) g"),
                            options = ExecutionOptions.DEFAULTS.yieldPer(100),
                        )
                    result.fetchmany(10).size shouldBe 10
                    kill(checker, pid)
                    // Not a shorter stream that looks complete: the reader hears of the loss.
                    shouldThrow<DisconnectException> { result.all() }
                    c.close()
                    followUps(engine, 2)
                }
            }

            test("killed while checked out and unused: close discards it, the next user is fine") {
                scenario { engine, checker ->
                    val c = engine.connect()
                    val pid = c.scalar(text("SELECT pg_backend_pid()"))
                    c.commit()
                    kill(checker, pid)
                    c.close()
                    followUps(engine, 2)
                }
            }
        }
    })
