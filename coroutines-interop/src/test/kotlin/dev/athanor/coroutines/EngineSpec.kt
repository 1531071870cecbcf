package dev.athanor.coroutines

import dev.athanor.engine.Engine
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.IsolationLevel
import dev.athanor.sql.Sql.bindparam
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import dev.athanor.sql.Types
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.time.Duration
import kotlinx.coroutines.reactor.awaitSingle
import kotlinx.coroutines.reactor.awaitSingleOrNull

class EngineSpec :
    FunSpec({
        val s = Schema("eng")
        val name = s.users.c<String>("name")

        eachDatabase { db ->
            test(
                "echo logs statements and parameters through SLF4J, unless parameters are hidden"
            ) {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        s.reset(engine)
                        engine.begin { conn ->
                            conn.execute(insert(s.users), mapOf("name" to "visible"))
                        }
                    }
                    withEngine(
                        db,
                        {
                            echo = true
                            hideParameters = true
                        },
                    ) { engine ->
                        engine.begin { conn ->
                            conn.execute(insert(s.users), mapOf("name" to "secret"))
                        }
                        s.drop(engine)
                    }
                }
                lines.any { "INSERT INTO eng_users" in it && "visible" in it } shouldBe true
                lines.none { "secret" in it } shouldBe true
                lines.any { it.endsWith("] COMMIT") } shouldBe true
            }

            test("engine from a config map, derived engines share the pool, faces are stable") {
                val engine =
                    asyncEngineFromConfig(
                        mapOf(
                            "app.url" to db.url,
                            "app.pool_size" to "3",
                            "app.max_overflow" to 0,
                            "app.echo" to "false",
                            "app.isolation_level" to "REPEATABLE READ",
                            "unrelated" to "x",
                        ),
                        "app.",
                    )
                try {
                    engine.core.options().poolSize() shouldBe 3
                    engine.core.options().isolationLevel() shouldBe IsolationLevel.REPEATABLE_READ
                    val auto =
                        engine.executionOptions(
                            ExecutionOptions.DEFAULTS.isolationLevel(IsolationLevel.AUTOCOMMIT)
                        )
                    auto.getExecutionOptions().isolationLevel() shouldBe IsolationLevel.AUTOCOMMIT
                    auto.poolStatus!!.maxSize shouldBe 3
                    auto.connect { conn ->
                        conn.execute(text("SELECT 1"))
                        conn.inTransaction() shouldBe false
                    }
                    engine.core.asAsync() shouldBeSameInstanceAs engine
                    engine.connect { conn ->
                        conn.core.asAsync() shouldBeSameInstanceAs conn
                        engine.poolStatus!!.checkedOut shouldBe 1
                    }
                } finally {
                    engine.dispose()
                }
            }

            test("poolTimeout 0 fails at once when the pool is full, and only then") {
                withEngine(
                    db,
                    {
                        smallPool(1)
                        poolTimeout = Duration.ZERO
                    },
                ) { engine ->
                    // A new connection may still be opened: that is not "no connection free".
                    val held = engine.connect()
                    val e =
                        io.kotest.assertions.throwables.shouldThrow<
                            dev.athanor.error.PoolTimeoutException
                        > {
                            engine.connect()
                        }
                    e.message shouldContain "poolTimeout is 0"
                    held.close()
                    awaitPoolQuiet(engine)
                    engine.connect { c -> c.scalar(text("SELECT 1")) } shouldBe 1
                }
            }

            test("the engine shows echo (settable), pool, url and dialect") {
                withEngine(db, { poolSize = 3 }) { engine ->
                    engine.echo shouldBe false
                    val lines = captureEcho {
                        engine.echo = true
                        engine.connect { c -> c.scalar(text("SELECT 41")) }
                        engine.echo = false
                        engine.connect { c -> c.scalar(text("SELECT 42")) }
                    }
                    lines.any { "SELECT 41" in it } shouldBe true
                    lines.none { "SELECT 42" in it } shouldBe true
                    val c = engine.connect()
                    val pool = engine.poolStatus!!
                    pool.size shouldBe 3
                    pool.checkedOut shouldBe 1
                    pool.overflow() shouldBe 0
                    c.close()
                    engine.url.toString() shouldContain (if (db.isPostgres) "postgresql" else "h2")
                    engine.dialect.isPostgres shouldBe db.isPostgres
                }
            }

            test("creator, asyncCreator and a ready pool: the program brings its own connections") {
                val driverUrl =
                    if (db.isPostgres)
                        "r2dbc:" + db.url.replaceFirst("postgresql://", "postgresql://")
                    else "r2dbc:h2:mem:///creator_${System.nanoTime()}?DB_CLOSE_DELAY=-1"
                val factory = io.r2dbc.spi.ConnectionFactories.get(driverUrl)
                val viaCreator = createAsyncEngine(db.url) { creator = factory }
                try {
                    viaCreator.connect { c -> c.scalar(text("SELECT 1")) } shouldBe 1
                    viaCreator.poolStatus!!.allocated shouldBe 1
                } finally {
                    viaCreator.dispose()
                }

                val calls = java.util.concurrent.atomic.AtomicInteger()
                val viaAsync =
                    createAsyncEngine(db.url) {
                        asyncCreator = {
                            calls.incrementAndGet()
                            reactor.core.publisher.Mono.from(factory.create()).awaitSingle()
                        }
                    }
                try {
                    val a = viaAsync.connect()
                    val b = viaAsync.connect()
                    a.close()
                    b.close()
                    viaAsync.connect { c -> c.scalar(text("SELECT 2")) } shouldBe 2
                    calls.get() shouldBe 2
                } finally {
                    viaAsync.dispose()
                }

                val failing =
                    createAsyncEngine(db.url) {
                        asyncCreator = { throw IllegalStateException("token service down") }
                    }
                try {
                    val e =
                        io.kotest.assertions.throwables.shouldThrow<
                            dev.athanor.error.OperationalException
                        > {
                            failing.connect()
                        }
                    e.message shouldContain "token service down"
                } finally {
                    failing.dispose()
                }

                val pool =
                    io.r2dbc.pool.ConnectionPool(
                        io.r2dbc.pool.ConnectionPoolConfiguration.builder(factory)
                            .maxSize(3)
                            .build()
                    )
                val overPool = createAsyncEngine(db.url) { creator = pool }
                try {
                    overPool.connect { c -> c.scalar(text("SELECT 3")) } shouldBe 3
                    overPool.poolStatus!!.maxSize shouldBe 3
                    overPool.dispose()
                    // The program owns its pool: dispose() leaves it open.
                    pool.isDisposed shouldBe false
                    overPool.connect { c -> c.scalar(text("SELECT 4")) } shouldBe 4
                } finally {
                    pool.disposeLater().awaitSingleOrNull()
                }
            }

            test("rawConnection hands out the driver connection from the pool") {
                withEngine(db) { engine ->
                    val raw = engine.rawConnection()
                    engine.poolStatus!!.checkedOut shouldBe 1
                    reactor.core.publisher.Mono.from(raw.close()).awaitSingleOrNull()
                    engine.poolStatus!!.checkedOut shouldBe 0
                }
            }

            test("statements built once hit the compiled cache; clearCompiledCache empties it") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    val byName = select(s.users).where(name.eq(bindparam("n", Types.string(30))))
                    engine.connect { conn ->
                        repeat(5) { conn.execute(byName, mapOf("n" to "x")) }
                    }
                    val (hits, misses) =
                        engine.core.compiledCacheHitsAndMisses().let { it[0] to it[1] }
                    (hits >= 4) shouldBe true
                    (misses >= 1) shouldBe true
                    (engine.core.compiledCacheSize() > 0) shouldBe true
                    engine.clearCompiledCache()
                    engine.core.compiledCacheSize() shouldBe 0
                    s.drop(engine)
                }
            }

            test("statements built anew per request with other values share one compilation") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.begin { conn ->
                        conn.execute(
                            insert(s.users),
                            listOf(
                                mapOf("name" to "a"),
                                mapOf("name" to "b"),
                                mapOf("name" to "c"),
                            ),
                        )
                    }
                    val before = engine.core.compiledCacheHitsAndMisses().let { it[0] to it[1] }
                    val found = engine.connect { conn ->
                        listOf("a", "b", "c", "zz").map { n ->
                            // A new statement object each time, carrying another value and limit.
                            conn
                                .scalars<String>(select(name).where(name.eq(n)).limit(n.length))
                                .all()
                        }
                    }
                    found shouldBe listOf(listOf("a"), listOf("b"), listOf("c"), emptyList())
                    val after = engine.core.compiledCacheHitsAndMisses().let { it[0] to it[1] }
                    (after.second - before.second) shouldBe 1
                    (after.first - before.first) shouldBe 3
                    s.drop(engine)
                }
            }

            test("without a pool every connect opens and close closes a driver connection") {
                var opened = 0
                withEngine(db, { pooled = false }) { engine ->
                    engine.events.add(
                        object : dev.athanor.engine.EngineListener {
                            override fun onConnect(driverConnection: io.r2dbc.spi.Connection) {
                                opened++
                            }
                        }
                    )
                    engine.poolStatus shouldBe null
                    repeat(3) { engine.connect { conn -> conn.scalar(text("SELECT 1")) } }
                }
                opened shouldBe 3
            }

            test("poolRecycle replaces a connection older than the limit; without it, it stays") {
                val pid =
                    if (db.isPostgres) text("SELECT pg_backend_pid()")
                    else text("SELECT SESSION_ID()")
                withEngine(db, { smallPool(1) }) { engine ->
                    val first = engine.connect { c -> c.scalar(pid) }
                    kotlinx.coroutines.delay(400)
                    engine.connect { c -> c.scalar(pid) } shouldBe first
                }
                withEngine(
                    db,
                    {
                        smallPool(1)
                        poolRecycle = Duration.ofMillis(200)
                    },
                ) { engine ->
                    val first = engine.connect { c -> c.scalar(pid) }
                    kotlinx.coroutines.delay(400)
                    (engine.connect { c -> c.scalar(pid) } == first) shouldBe false
                }
            }

            if (db.isPostgres) {
                test("poolPrePing runs a round trip on checkout; without it, none") {
                    withEngine(db) { checker ->
                        suspend fun lastQueryAtCheckout(prePing: Boolean): String {
                            return withEngine(
                                db,
                                {
                                    smallPool(1)
                                    poolPrePing = prePing
                                },
                            ) { engine ->
                                val pid = engine.connect { c ->
                                    c.execDriverSql("SELECT 'athanor marker'")
                                    c.scalar(text("SELECT pg_backend_pid()"))
                                }
                                val held = engine.connect() // the checkout itself
                                try {
                                    // The server's record of what that session ran last.
                                    var q = ""
                                    for (i in 1..50) {
                                        q =
                                            checker.connect { k ->
                                                k.scalar(
                                                    text(
                                                        "SELECT query FROM pg_stat_activity WHERE pid = :pid"
                                                    ),
                                                    mapOf("pid" to pid),
                                                )
                                            } as String
                                        if (q != "ROLLBACK" || !prePing) break
                                        kotlinx.coroutines.delay(10)
                                    }
                                    q
                                } finally {
                                    held.close()
                                }
                            }
                        }
                        lastQueryAtCheckout(prePing = true) shouldBe "SELECT 1"
                        (lastQueryAtCheckout(prePing = false) == "SELECT 1") shouldBe false
                    }
                }
            }
        }

        test("the engine's toString, URL and errors hide the password") {
            for (url in
                listOf(
                    "postgresql://scott:tiger@localhost:5432/test",
                    "postgres://scott:tiger@db.example:6543/app?sslmode=disable",
                    "r2dbc:postgresql://scott:tiger@localhost/test",
                )) {
                val e = Engine.create(url)
                try {
                    e.toString() shouldContain "scott:***@"
                    (e.toString().contains("tiger")) shouldBe false
                    (e.url().toString().contains("tiger")) shouldBe false
                } finally {
                    e.dispose().block()
                }
            }
        }
    })
