package dev.athanor.coroutines

import dev.athanor.engine.EngineListener
import dev.athanor.engine.ExecuteContext
import dev.athanor.error.InvalidRequestException
import dev.athanor.error.ResourceClosedException
import dev.athanor.sql.Sql.text
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull

/** start() on a connection made without IO, and one flow of control per connection. */
class ConnectionUseSpec :
    FunSpec({
        eachDatabase { db ->
            // Long enough that a second call arrives while it runs.
            val slow =
                if (db.isPostgres) text("SELECT pg_sleep(0.3)")
                else
                    text(
                        "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 3000) a, SYSTEM_RANGE(1, 1000) b WHERE RAND() >= 0"
                    )

            test("getIsolationLevel asks the server and begins nothing; engine and dialect") {
                withEngine(db) { engine ->
                    engine.connect { c ->
                        c.engine shouldBe engine
                        c.dialect shouldBe engine.dialect
                        c.defaultIsolationLevel shouldBe
                            dev.athanor.sql.IsolationLevel.READ_COMMITTED
                        c.getIsolationLevel() shouldBe dev.athanor.sql.IsolationLevel.READ_COMMITTED
                        c.inTransaction() shouldBe false
                    }
                    engine.connect { c ->
                        c.executionOptions(
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.isolationLevel(
                                dev.athanor.sql.IsolationLevel.SERIALIZABLE
                            )
                        )
                        c.defaultIsolationLevel shouldBe dev.athanor.sql.IsolationLevel.SERIALIZABLE
                        c.begin {
                            c.getIsolationLevel() shouldBe
                                dev.athanor.sql.IsolationLevel.SERIALIZABLE
                        }
                    }
                    engine.connect { c ->
                        c.executionOptions(
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.isolationLevel(
                                dev.athanor.sql.IsolationLevel.AUTOCOMMIT
                            )
                        )
                        c.getIsolationLevel() shouldBe dev.athanor.sql.IsolationLevel.AUTOCOMMIT
                    }
                }
            }

            test("invalidate() discards the driver connection: never handed out again") {
                withEngine(db, { smallPool(1) }) { engine ->
                    val connects = java.util.concurrent.atomic.AtomicInteger()
                    engine.events.add(
                        object : EngineListener {
                            override fun onConnect(driverConnection: io.r2dbc.spi.Connection) {
                                connects.incrementAndGet()
                            }
                        }
                    )
                    val c = engine.connect()
                    c.scalar(text("SELECT 1"))
                    c.invalidate()
                    c.isInvalidated shouldBe true
                    shouldThrow<ResourceClosedException> { c.getRawConnection() }
                        .message shouldContain "discarded"
                    shouldThrow<ResourceClosedException> { c.execute(text("SELECT 1")) }
                        .message shouldContain "invalidated"
                    engine.connect { other -> other.scalar(text("SELECT 2")) } shouldBe 2
                    connects.get() shouldBe 2
                    val closed = engine.connect()
                    closed.close()
                    shouldThrow<ResourceClosedException> { closed.getRawConnection() }
                }
            }

            test("newConnection() does no IO; start() checks out once; close() gives it back") {
                withEngine(db, { smallPool(2) }) { engine ->
                    val conn = engine.newConnection()
                    engine.core.poolStatus()!!.checkedOut shouldBe 0
                    shouldThrow<InvalidRequestException> { conn.scalar(text("SELECT 1")) }
                        .message shouldContain "call start() first"
                    conn.start() shouldBe conn
                    engine.core.poolStatus()!!.checkedOut shouldBe 1
                    (conn.scalar(text("SELECT 41 + 1")) as Number).toInt() shouldBe 42
                    shouldThrow<InvalidRequestException> { conn.start() }.message shouldContain
                        "already started"
                    conn.close()
                    engine.core.poolStatus()!!.checkedOut shouldBe 0
                }
            }

            test("a connection closed before start() cannot start, and nothing is checked out") {
                withEngine(db, { smallPool(2) }) { engine ->
                    val conn = engine.newConnection()
                    conn.close()
                    shouldThrow<ResourceClosedException> { conn.start() }.message shouldContain
                        "closed before it started"
                    engine.core.poolStatus()!!.checkedOut shouldBe 0
                }
            }

            test("a second caller on a busy connection is refused with a message that says why") {
                withEngine(db) { engine ->
                    val running = CompletableDeferred<Unit>()
                    engine.core
                        .events()
                        .add(
                            object : EngineListener {
                                override fun beforeExecute(ctx: ExecuteContext) {
                                    if (
                                        ctx.sql().contains("SYSTEM_RANGE") ||
                                            ctx.sql().contains("pg_sleep")
                                    )
                                        running.complete(Unit)
                                }
                            }
                        )
                    engine.connect { conn ->
                        coroutineScope {
                            // On IO: H2 runs a statement on the thread that asks for it.
                            val first = async(Dispatchers.IO) { conn.execute(slow).all() }
                            running.await()
                            val second =
                                shouldThrow<InvalidRequestException> {
                                    conn.execute(text("SELECT 2"))
                                }
                            second.message shouldContain "already running execute()"
                            second.message shouldContain "own connection"
                            first.await().size shouldBe 1
                        }
                        // The connection is fine afterwards.
                        (conn.scalar(text("SELECT 3")) as Number).toInt() shouldBe 3
                    }
                    engine.core.poolStatus()!!.checkedOut shouldBe 0
                }
            }

            test(
                "after a caller gave up on a statement, its next call on the connection is accepted"
            ) {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        withTimeoutOrNull(20) {
                            withContext(Dispatchers.IO) { conn.execute(slow) }
                        } shouldBe null
                        (conn.scalar(text("SELECT 4")) as Number).toInt() shouldBe 4
                    }
                    engine.core.poolStatus()!!.checkedOut shouldBe 0
                }
            }
        }
    })
