package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.error.MultipleResultsFoundException
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList

class StreamingSpec :
    FunSpec({
        val s = Schema("stream")
        val id = s.users.c<Int>("id")
        val name = s.users.c<String>("name")

        suspend fun seed(engine: AsyncEngine, n: Int) {
            s.reset(engine)
            engine.begin { conn ->
                conn.execute(insert(s.users), (1..n).map { mapOf("name" to "u$it") })
            }
        }

        /** Division by zero at the 600th of 1,000 rows, computed as the cursor is read. */
        fun failingAt600(db: dev.athanor.testkit.TestDatabases.Db) =
            if (db.isPostgres) "SELECT 1200 / (600 - g) FROM generate_series(1, 1000) g"
            else "SELECT 1200 / (600 - \"X\") FROM SYSTEM_RANGE(1, 1000)"

        /** Streams [failingAt600] 100 rows per fetch, handing each value to [each]. */
        suspend fun streamFailing(
            engine: AsyncEngine,
            db: dev.athanor.testkit.TestDatabases.Db,
            each: suspend (Int) -> Unit,
        ) = engine.connect { conn ->
            conn
                .stream(
                    text(failingAt600(db)),
                    options = ExecutionOptions.DEFAULTS.yieldPer(100),
                )
                .asFlow()
                .collect { each((it.get(0) as Number).toInt()) }
        }

        eachDatabase { db ->
            test("fetchmany, fetchone, partitions and all read a server-side cursor in order") {
                withEngine(db) { engine ->
                    seed(engine, 250)
                    engine.connect { conn ->
                        val r =
                            conn.stream(
                                select(id).orderBy(id),
                                options = ExecutionOptions.DEFAULTS.yieldPer(40),
                            )
                        r.keys() shouldBe listOf("id")
                        r.fetchone()!!.get(0) shouldBe 1
                        r.fetchmany(3).map { it.get(0) } shouldBe listOf(2, 3, 4)
                        r.partitions(100).toList().map { it.size } shouldBe listOf(100, 100, 46)
                        r.isClosed shouldBe true
                        r.fetchmany(10) shouldBe emptyList()

                        conn.streamScalars<Int>(select(id).orderBy(id)).all() shouldBe
                            (1..250).toList()
                    }
                    s.drop(engine)
                }
            }

            test("all() reads every row when there are more rows than one batch (regression)") {
                withEngine(db) { engine ->
                    seed(engine, 2345)
                    engine.connect { conn ->
                        // all() repeats a fetch of one batch; it used to reuse the first batch's
                        // list and spin on empty fetches once that list was full.
                        conn.streamScalars<Int>(select(id).orderBy(id)).all() shouldBe
                            (1..2345).toList()
                        conn.stream(select(id).orderBy(id)).yieldPer(7).all().map {
                            it!!.get(0)
                        } shouldBe (1..2345).toList()
                        conn.stream(select(id).orderBy(id)).unique().all().size shouldBe 2345
                    }
                    s.drop(engine)
                }
            }

            test("yieldPer(n) and partitions() without a size, on streams and buffered results") {
                withEngine(db) { engine ->
                    seed(engine, 250)
                    engine.connect { conn ->
                        val r =
                            conn.stream(
                                select(id).orderBy(id),
                                options = ExecutionOptions.DEFAULTS.yieldPer(40),
                            )
                        r.batchSize shouldBe 40
                        r.partitions().toList().map { it.size } shouldBe
                            listOf(40, 40, 40, 40, 40, 40, 10)
                        val r2 = conn.stream(select(id).orderBy(id)).yieldPer(100)
                        r2.batchSize shouldBe 100
                        r2.partitions().toList().map { it.size } shouldBe listOf(100, 100, 50)
                        shouldThrow<InvalidRequestException> { r2.yieldPer(0) }

                        val buffered = conn.execute(select(id).orderBy(id))
                        buffered.partitions().map { it.size } shouldBe listOf(250)
                        val b2 = conn.execute(select(id).orderBy(id)).yieldPer(100)
                        b2.scalars<Int>().partitions().map { it.size } shouldBe listOf(100, 100, 50)
                    }
                    s.drop(engine)
                }
            }

            test("the scoped stream closes the result however its block ends") {
                withEngine(db) { engine ->
                    seed(engine, 250)
                    engine.connect { conn ->
                        val firstTwo =
                            conn.stream(select(id).orderBy(id)) { r ->
                                r.fetchmany(2).map { it.get(0) }
                            }
                        firstTwo shouldBe listOf(1, 2)
                        // The stream was closed: the connection takes statements again.
                        conn.scalar(text("SELECT 1")) shouldBe 1
                        shouldThrow<IllegalStateException> {
                            conn.stream(select(id)) { r ->
                                r.fetchone()
                                throw IllegalStateException("stop")
                            }
                        }
                        conn.scalar(text("SELECT 2")) shouldBe 2
                    }
                    s.drop(engine)
                }
            }

            test(
                "a Flow reads with backpressure; cancelling it closes the cursor and frees the connection"
            ) {
                withEngine(db) { engine ->
                    seed(engine, 500)
                    engine.connect { conn ->
                        val r =
                            conn.stream(
                                select(name).orderBy(id),
                                options = ExecutionOptions.DEFAULTS.yieldPer(10),
                            )
                        val firstFive = r.asFlow().take(5).toList().map { it.get(0) }
                        firstFive shouldBe listOf("u1", "u2", "u3", "u4", "u5")
                        r.isClosed shouldBe true
                        // The connection is usable again after the early close.
                        conn.scalar(
                            select(dev.athanor.sql.Func.count()).selectFrom(s.users)
                        ) shouldBe 500L
                    }
                    s.drop(engine)
                }
            }

            test("a slow collector still gets every row") {
                withEngine(db) { engine ->
                    seed(engine, 60)
                    engine.connect { conn ->
                        var seen = 0
                        conn
                            .stream(
                                select(id).orderBy(id),
                                options = ExecutionOptions.DEFAULTS.yieldPer(7),
                            )
                            .asFlow()
                            .collect {
                                if (seen % 20 == 0) delay(5)
                                seen++
                            }
                        seen shouldBe 60
                    }
                    s.drop(engine)
                }
            }

            test("scalars, mappings, unique, first and one on a stream") {
                withEngine(db) { engine ->
                    seed(engine, 5)
                    engine.connect { conn ->
                        conn.stream(select(name).orderBy(id)).scalars<String>().all() shouldBe
                            listOf("u1", "u2", "u3", "u4", "u5")
                        conn.stream(select(id, name).orderBy(id)).mappings().first()!![
                            "name"] shouldBe "u1"
                        conn
                            .stream(text("SELECT 1 AS x UNION ALL SELECT 1 UNION ALL SELECT 2"))
                            .scalars<Any>()
                            .unique()
                            .all()
                            .size shouldBe 2
                        conn.stream(select(name).where(id.eq(3))).scalarOne() shouldBe "u3"
                        shouldThrow<MultipleResultsFoundException> {
                            conn.stream(select(name)).one()
                        }
                        conn.stream(select(name).where(id.eq(99))).oneOrNone() shouldBe null
                        val frozen = conn.stream(select(name).orderBy(id)).freeze()
                        frozen.result().scalars<String>().all().size shouldBe 5
                    }
                    s.drop(engine)
                }
            }

            test(
                "the connection refuses another statement while a stream is open, and says what to do"
            ) {
                withEngine(db) { engine ->
                    seed(engine, 50)
                    engine.connect { conn ->
                        val r =
                            conn.stream(
                                select(id).orderBy(id),
                                options = ExecutionOptions.DEFAULTS.yieldPer(5),
                            )
                        r.fetchone()
                        shouldThrow<InvalidRequestException> { conn.execute(select(id)) }
                            .message shouldContain "close it"
                        r.close()
                        conn.scalar(select(id).where(id.eq(1))) shouldBe 1
                    }
                    s.drop(engine)
                }
            }

            test("execute refuses when streaming was asked for, and points to stream()") {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        val e =
                            shouldThrow<InvalidRequestException> {
                                conn.execute(
                                    text("SELECT 1"),
                                    emptyMap(),
                                    ExecutionOptions.DEFAULTS.streamResults(true),
                                )
                            }
                        e.message shouldContain "stream()"
                    }
                }
            }

            test(
                "a statement failing mid-stream: the rows before it, then its typed error, heard " +
                    "once by onError; the connection goes back clean"
            ) {
                withEngine(db) { engine ->
                    val errors = mutableListOf<String>()
                    engine.events.add(
                        object : dev.athanor.engine.EngineListener {
                            override fun onError(context: dev.athanor.engine.ExecuteContext) {
                                errors += context.error()!!::class.simpleName!!
                            }
                        }
                    )
                    val read = mutableListOf<Int>()
                    val e =
                        shouldThrow<dev.athanor.error.DataException> {
                            streamFailing(engine, db) { read += it }
                        }
                    e.message!! shouldContain "600 - "
                    // H2 computes its rows before handing out the first; PostgreSQL as they are
                    // fetched, so every row before the failing one is read first.
                    if (db.isPostgres) read.size shouldBe 599
                    read shouldBe (1..read.size).map { 1200 / (600 - it) }
                    errors shouldBe listOf("DataException")
                    awaitPoolQuiet(engine)
                    engine.connect { conn -> conn.scalar(text("SELECT 7")) } shouldBe 7
                }
            }

            test(
                "a slow reader of a stream that fails mid-stream still gets every row sent before " +
                    "the failure, then the typed error"
            ) {
                withEngine(db) { engine ->
                    val read = mutableListOf<Int>()
                    // The reader dawdles from row 350 on, so that the rows up to the failure and
                    // the error reach the client before it asks for them.
                    shouldThrow<dev.athanor.error.DataException> {
                        streamFailing(engine, db) {
                            if (read.size >= 350) delay(1)
                            read += it
                        }
                    }
                    if (db.isPostgres) read.size shouldBe 599
                    read shouldBe (1..read.size).map { 1200 / (600 - it) }
                    awaitPoolQuiet(engine)
                }
            }

            test(
                "an onError listener that throws on a failing stream: its error, the stream ends"
            ) {
                withEngine(db) { engine ->
                    engine.events.add(
                        object : dev.athanor.engine.EngineListener {
                            override fun onError(context: dev.athanor.engine.ExecuteContext) =
                                throw IllegalStateException("listener broke")
                        }
                    )
                    val e = shouldThrow<IllegalStateException> { streamFailing(engine, db) {} }
                    e.message shouldBe "listener broke"
                    // Beside it, the statement's own error, translated, as for a statement (a
                    // coroutine boundary may copy the exception, keeping the first as its cause).
                    fun besides(t: Throwable) =
                        generateSequence(t) { it.cause }.flatMap { it.suppressed.asSequence() }
                    besides(e).any { it is dev.athanor.error.DataException } shouldBe true
                    val onExecute =
                        shouldThrow<IllegalStateException> {
                            engine.connect { conn -> conn.execute(text(failingAt600(db))) }
                        }
                    besides(onExecute).any { it is dev.athanor.error.DataException } shouldBe true
                    awaitPoolQuiet(engine)
                    engine.connect { conn -> conn.scalar(text("SELECT 7")) } shouldBe 7
                }
            }

            test("closing the connection closes an open stream") {
                withEngine(db) { engine ->
                    seed(engine, 100)
                    val conn = engine.connect()
                    val r =
                        conn.stream(
                            select(id).orderBy(id),
                            options = ExecutionOptions.DEFAULTS.yieldPer(10),
                        )
                    r.fetchmany(3)
                    conn.close()
                    r.isClosed shouldBe true
                    engine.poolStatus!!.checkedOut shouldBe 0
                    countRows(engine, s.users) shouldBe 100L
                    s.drop(engine)
                }
            }
        }
    })
