package dev.athanor.coroutines

import dev.athanor.error.DisconnectException
import dev.athanor.error.PoolTimeoutException
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Func
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import dev.athanor.sql.Types
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.time.Duration
import kotlin.random.Random
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull

class CancellationSpec :
    FunSpec({
        val meta = MetaData()
        val pairs =
            meta.table(
                "cancel_pairs",
                column("id", Types.INTEGER).primaryKey(),
                column("grp", Types.INTEGER).notNull(),
            )
        val grp = pairs.c<Int>("grp")

        /**
         * Waits until every connection is back in the pool (cleanup after a cancel is
         * asynchronous).
         */
        suspend fun awaitQuiet(engine: AsyncEngine) {
            withTimeout(15_000) {
                while (
                    engine.poolStatus!!.checkedOut != 0 || engine.poolStatus!!.pending != 0
                ) delay(20)
            }
        }

        fun urlFor(db: TestDatabases.Db, app: String) =
            if (db.isPostgres) db.url + (if ('?' in db.url) "&" else "?") + "applicationName=$app"
            else db.url

        eachDatabase { db ->
            test("pool exhaustion gives a timeout error after the configured time, not a hang") {
                // The first connection of a JVM takes ~300 ms (class loading): open one on another
                // engine first so that only the wait for a busy pool meets the 300 ms timeout.
                withEngine(db) { warm ->
                    warm.connect { conn -> conn.scalar(select(dev.athanor.sql.Sql.literal(0))) }
                }
                withEngine(
                    db,
                    {
                        smallPool(1)
                        poolTimeout = Duration.ofMillis(300)
                    },
                ) { engine ->
                    val held = engine.connect()
                    val e =
                        withTimeout(10_000) {
                            shouldThrow<PoolTimeoutException> { engine.connect() }
                        }
                    e.message shouldContain "poolTimeout"
                    e.message shouldContain "poolSize 1"
                    // Several waiters at once each time out; none takes a connection with it.
                    val errors = coroutineScope {
                        (1..3)
                            .map { async { runCatching { engine.connect() }.exceptionOrNull() } }
                            .map { it.await() }
                    }
                    errors.forEach { it.shouldBeInstanceOf<PoolTimeoutException>() }
                    held.close()
                    engine.connect { conn ->
                        conn.scalar(select(dev.athanor.sql.Sql.literal(1)))
                    } shouldBe 1
                    engine.poolStatus!!.checkedOut shouldBe 0
                }
            }

            test(
                "hundreds of random cancellations leave no connection checked out, no transaction open, no half-written pair"
            ) {
                val app = "athanor_cancel_${System.nanoTime()}"
                val engineUrl = TestDatabases.Db(db.name, urlFor(db, app))
                withEngine(engineUrl, { smallPool(3) }) { engine ->
                    engine.begin { conn ->
                        meta.dropAll(conn)
                        meta.createAll(conn)
                        conn.execute(insert(pairs), (1..300).map { mapOf("grp" to 0) })
                    }
                    val seed = System.getenv("ATHANOR_CANCEL_SEED")?.toLong() ?: System.nanoTime()
                    val random = Random(seed)
                    val slow =
                        if (db.isPostgres) text("SELECT pg_sleep(0.02)")
                        else text("SELECT COUNT(*) FROM SYSTEM_RANGE(1, 20000)")
                    var completed = 0
                    var cancelled = 0
                    repeat(300) { i ->
                        coroutineScope {
                            // Two other holders make some iterations wait for the pool.
                            val holders =
                                (1..random.nextInt(0, 3)).map {
                                    launch { engine.connect { c -> c.execute(slow) } }
                                }
                            val phase = i % 4
                            val result =
                                withTimeoutOrNull(random.nextLong(0, 40)) {
                                    when (phase) {
                                        0 ->
                                            engine.begin { c ->
                                                c.execute(insert(pairs), mapOf("grp" to i + 1))
                                                c.execute(slow)
                                                c.execute(insert(pairs), mapOf("grp" to i + 1))
                                            }
                                        1 ->
                                            engine.connect { c ->
                                                c.stream(
                                                        select(pairs.c<Int>("id")),
                                                        options =
                                                            ExecutionOptions.DEFAULTS.yieldPer(10),
                                                    )
                                                    .asFlow()
                                                    .collect { delay(1) }
                                            }
                                        2 ->
                                            engine.begin { c ->
                                                c.beginNested {
                                                    c.execute(insert(pairs), mapOf("grp" to i + 1))
                                                }
                                                c.execute(slow)
                                                c.execute(insert(pairs), mapOf("grp" to i + 1))
                                            }
                                        else -> engine.connect { c -> c.execute(slow) }
                                    }
                                }
                            if (result == null) cancelled++ else completed++
                            holders.forEach { it.cancel() }
                        }
                    }
                    awaitQuiet(engine)
                    withClue("seed=$seed completed=$completed cancelled=$cancelled") {
                        (cancelled > 50) shouldBe true
                        (completed > 10) shouldBe true
                    }
                    // Every transaction wrote both rows of its pair or neither.
                    engine.connect { conn ->
                        val bad =
                            withClue("seed=$seed") {
                                conn
                                    .execute(
                                        select(grp, Func.count().label("n"))
                                            .where(grp.gt(0))
                                            .groupBy(grp)
                                            .having(Func.count().ne(2L))
                                    )
                                    .all()
                            }
                        withClue("seed=$seed (set ATHANOR_CANCEL_SEED to replay)") {
                            bad shouldBe emptyList()
                        }
                    }
                    if (db.isPostgres) {
                        // A ROLLBACK on return is not awaited (the next user of that connection is
                        // queued behind it), so a just-returned connection may take a few hundred
                        // microseconds to leave its transaction; a leaked one never does.
                        var open = -1L
                        for (attempt in 1..50) {
                            open = engine.connect { conn ->
                                conn.scalar(
                                    text(
                                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app " +
                                            "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                                    ),
                                    mapOf("app" to app),
                                ) as Long
                            }
                            if (open == 0L) break
                            kotlinx.coroutines.delay(20)
                        }
                        open shouldBe 0L
                    }
                    engine.poolStatus!!.checkedOut shouldBe 0
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("a connection goes on at once after a statement whose caller was cancelled") {
                withEngine(db, { smallPool(1) }) { engine ->
                    engine.begin { conn ->
                        meta.dropAll(conn)
                        meta.createAll(conn)
                    }
                    val random = Random(5)
                    val rows = (1..2_000).map { mapOf("grp" to 1) }
                    var written = 0L
                    engine.connect { c ->
                        repeat(60) { i ->
                            val base = i * 10_000
                            val done =
                                withTimeoutOrNull(random.nextLong(0, 15)) {
                                    c.execute(
                                        insert(pairs),
                                        rows.mapIndexed { k, r -> r + ("id" to base + k) },
                                    )
                                }
                            // The next statement waits behind the abandoned one, never refused.
                            val n =
                                c.scalar(
                                    select(Func.count())
                                        .selectFrom(pairs)
                                        .where(pairs.c<Int>("id").ge(base))
                                ) as Number
                            withClue("round $i (cancelled: ${done == null})") {
                                (n.toLong() == 0L || n.toLong() == 2_000L) shouldBe true
                                if (done != null) n.toLong() shouldBe 2_000L
                            }
                            written += n.toLong()
                        }
                        c.commit()
                    }
                    awaitQuiet(engine)
                    countRows(engine, pairs) shouldBe written
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("cancelling a coroutine inside begin rolls back and returns the connection") {
                withEngine(db, { smallPool(1) }) { engine ->
                    engine.begin { conn ->
                        meta.dropAll(conn)
                        meta.createAll(conn)
                    }
                    coroutineScope {
                        val job = async {
                            engine.begin { c ->
                                c.execute(insert(pairs), mapOf("grp" to 1))
                                delay(10_000)
                            }
                        }
                        delay(200)
                        job.cancel()
                    }
                    awaitQuiet(engine)
                    countRows(engine, pairs) shouldBe 0L
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            if (db.isPostgres) {
                test(
                    "a connection killed by the server surfaces as a disconnect, is invalidated, and the next operation succeeds"
                ) {
                    withEngine(db, { smallPool(2) }) { engine ->
                        val victim = engine.connect()
                        val pid = victim.scalar(text("SELECT pg_backend_pid()"))
                        engine.connect { other ->
                            other.execute(
                                text("SELECT pg_terminate_backend(:pid)"),
                                mapOf("pid" to pid),
                            )
                        }
                        val e =
                            shouldThrow<DisconnectException> { victim.execute(text("SELECT 1")) }
                        e.connectionInvalidated() shouldBe true
                        victim.isInvalidated shouldBe true
                        victim.close()
                        awaitQuiet(engine)
                        repeat(3) {
                            engine.connect { conn -> conn.scalar(text("SELECT 1")) } shouldBe 1
                        }
                        engine.poolStatus!!.checkedOut shouldBe 0
                    }
                }
            }
        }
    })
