package dev.athanor.coroutines

import dev.athanor.error.DatabaseException
import dev.athanor.error.PoolTimeoutException
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql.text
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlin.random.Random
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/**
 * Random cancellations over every way of holding a connection (Kotlin face). Each worker picks an
 * entry pattern, runs it under a random timeout, and goes on; afterwards a separate engine checks
 * what the database holds: a money transfer that keeps the sum at 0, batches that are all there or
 * not at all, no session left in a transaction or running, no connection checked out, and every
 * pooled connection usable.
 *
 * `ATHANOR_STRESS_SECONDS` sets the run time per database (default 6); `ATHANOR_CANCEL_SEED`
 * replays a seed (timing still varies).
 */
class CancellationStressSpec :
    FunSpec({
        val seconds = System.getenv("ATHANOR_STRESS_SECONDS")?.toLong() ?: 6L
        val transfer = text("UPDATE stress_acct SET bal = bal + :d WHERE id = :id")
        val addRow = text("INSERT INTO stress_batch (grp) VALUES (:g)")

        eachDatabase { db ->
            test("random cancellations over every entry pattern lose nothing and leak nothing") {
                val app = "athanor_stress_${System.nanoTime()}"
                val poolSize = 3
                withEngine(db) { checker ->
                    val outside = OutsideView(db, checker)
                    checker.connect { c ->
                        c.execDriverSql("DROP TABLE IF EXISTS stress_acct")
                        c.execDriverSql("DROP TABLE IF EXISTS stress_batch")
                        c.execDriverSql(
                            "CREATE TABLE stress_acct (id INT PRIMARY KEY, bal INT NOT NULL)"
                        )
                        c.execDriverSql(
                            "CREATE TABLE stress_batch (id SERIAL PRIMARY KEY, grp INT NOT NULL)"
                        )
                        c.execDriverSql("INSERT INTO stress_acct VALUES (1, 0), (2, 0)")
                        c.execDriverSql(
                            "INSERT INTO stress_batch (grp) SELECT 0 FROM " +
                                (if (db.isPostgres) "generate_series(1, 200)"
                                else "SYSTEM_RANGE(1, 200)")
                        )
                        c.commit()
                    }
                    val seed = System.getenv("ATHANOR_CANCEL_SEED")?.toLong() ?: System.nanoTime()
                    val groups = AtomicInteger()
                    val outcomes = ConcurrentHashMap<String, AtomicInteger>()
                    val unexpected = ConcurrentHashMap.newKeySet<String>()
                    fun count(key: String) =
                        outcomes.computeIfAbsent(key) { AtomicInteger() }.incrementAndGet()

                    withEngine(
                        urlWithApp(db, app),
                        {
                            smallPool(poolSize)
                            poolTimeout = Duration.ofSeconds(2)
                        },
                    ) { engine ->
                        suspend fun moveOne(c: AsyncConnection) {
                            c.execute(transfer, mapOf("d" to 1, "id" to 1))
                            yield()
                            c.execute(transfer, mapOf("d" to -1, "id" to 2))
                        }
                        suspend fun batch(c: AsyncConnection) {
                            val g = groups.incrementAndGet()
                            c.execute(addRow, (1..5).map { mapOf("g" to g) })
                            yield()
                            c.execute(addRow, (1..5).map { mapOf("g" to g) })
                        }
                        val patterns: List<Pair<String, suspend () -> Unit>> =
                            listOf(
                                "engine.begin" to { engine.begin { c -> moveOne(c) } },
                                "conn.begin" to { engine.connect { c -> c.begin { moveOne(c) } } },
                                "beginNested" to
                                    {
                                        engine.connect { c ->
                                            c.begin { c.beginNested { moveOne(c) } }
                                        }
                                    },
                                "connect+close" to
                                    {
                                        val c = engine.connect()
                                        try {
                                            moveOne(c)
                                            c.commit()
                                        } finally {
                                            c.close()
                                        }
                                    },
                                "newConnection+start" to
                                    {
                                        val c = engine.newConnection()
                                        try {
                                            c.start()
                                            c.begin { moveOne(c) }
                                        } finally {
                                            c.close()
                                        }
                                    },
                                "explicit commit" to
                                    {
                                        engine.connect { c ->
                                            moveOne(c)
                                            c.commit()
                                        }
                                    },
                                "executemany" to
                                    {
                                        engine.begin { c ->
                                            c.execute(
                                                transfer,
                                                listOf(
                                                    mapOf("d" to 1, "id" to 1),
                                                    mapOf("d" to -1, "id" to 2),
                                                ),
                                            )
                                        }
                                    },
                                "batch" to { engine.begin { c -> batch(c) } },
                                "stream" to
                                    {
                                        engine.connect { c ->
                                            c.stream(
                                                    text("SELECT id FROM stress_batch"),
                                                    options =
                                                        ExecutionOptions.DEFAULTS.yieldPer(20),
                                                )
                                                .asFlow()
                                                .collect { yield() }
                                        }
                                    },
                                "stream then write" to
                                    {
                                        engine.begin { c ->
                                            c.execute(transfer, mapOf("d" to 1, "id" to 1))
                                            c.stream(text("SELECT id FROM stress_batch"))
                                                .asFlow()
                                                .collect {}
                                            c.execute(transfer, mapOf("d" to -1, "id" to 2))
                                        }
                                    },
                            )
                        val deadline = System.nanoTime() + seconds * 1_000_000_000L
                        withContext(Dispatchers.Default) {
                            coroutineScope {
                                repeat(6) { w ->
                                    launch {
                                        val random = Random(seed + w)
                                        while (System.nanoTime() < deadline) {
                                            val (name, body) =
                                                patterns[random.nextInt(patterns.size)]
                                            try {
                                                val done =
                                                    withTimeoutOrNull(random.nextLong(0, 25)) {
                                                        body()
                                                        true
                                                    }
                                                count(
                                                    if (done == null) "$name: cancelled"
                                                    else "$name: done"
                                                )
                                            } catch (e: CancellationException) {
                                                throw e
                                            } catch (e: PoolTimeoutException) {
                                                count("pool timeout")
                                            } catch (e: DatabaseException) {
                                                // H2 gives up on a row lock held by another
                                                // worker; nothing else is expected.
                                                if (
                                                    !db.isPostgres && "lock" in e.message.orEmpty()
                                                ) {
                                                    count("lock timeout")
                                                } else {
                                                    unexpected += "$name: $e"
                                                }
                                            } catch (e: Throwable) {
                                                unexpected += "$name: $e"
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        val clue = "seed=$seed (ATHANOR_CANCEL_SEED replays) outcomes=$outcomes"
                        println("[stress ${db.name}] $clue")
                        awaitPoolQuiet(engine, clue)
                        withClue(clue) {
                            unexpected.toList() shouldBe emptyList()
                            (outside.scalar("SELECT sum(bal) FROM stress_acct") as Number)
                                .toLong() shouldBe 0L
                            outside.scalar(
                                "SELECT count(*) FROM (SELECT grp FROM stress_batch WHERE grp > 0 " +
                                    "GROUP BY grp HAVING count(*) <> 10) x"
                            ) shouldBe 0L
                            outside.busySessions(app) shouldBe 0L
                            val cancelled =
                                outcomes
                                    .filterKeys { it.endsWith("cancelled") }
                                    .values
                                    .sumOf { it.get() }
                            (cancelled > 100) shouldBe true
                            val done =
                                outcomes
                                    .filterKeys { it.endsWith("done") }
                                    .values
                                    .sumOf { it.get() }
                            (done > 20) shouldBe true
                        }
                        everyPooledConnectionWorks(engine, poolSize, clue)
                        engine.poolStatus!!.checkedOut shouldBe 0
                    }
                    checker.connect { c ->
                        c.execDriverSql("DROP TABLE stress_acct")
                        c.execDriverSql("DROP TABLE stress_batch")
                        c.commit()
                    }
                }
            }
        }
    })
