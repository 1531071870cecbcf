package dev.athanor.bench

import dev.athanor.coroutines.createAsyncEngine
import dev.athanor.error.PoolTimeoutException
import dev.athanor.sql.Sql.text
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.LongAdder
import kotlin.random.Random
import kotlin.system.exitProcess
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/**
 * The load run (a developer command, not CI): many coroutines on a small pool for a while, each
 * moving one unit between two accounts in a transaction, some of them cancelled by a timeout.
 * Prints throughput, p50 / p99 latency and errors by type, then checks from a separate engine that
 * the accounts still sum to 0 and that no connection is left checked out.
 *
 * ```
 * mvn -q -pl bench -am package -DskipTests exec:java \
 *   -Dexec.mainClass=dev.athanor.bench.LoadRunKt -Dexec.args="--seconds 60 --coroutines 1000 --pool 10"
 * ```
 *
 * Exits with status 1 if the invariant breaks or an error other than a pool timeout appears.
 */
fun main(args: Array<String>) {
    fun arg(name: String, default: Long): Long {
        val i = args.indexOf("--$name")
        return if (i >= 0 && i + 1 < args.size) args[i + 1].toLong() else default
    }
    val seconds = arg("seconds", 60)
    val coroutines = arg("coroutines", 1000).toInt()
    val pool = arg("pool", 10).toInt()
    val url = System.getenv("ATHANOR_BENCH_URL") ?: "postgresql://postgres@127.0.0.1:5432/test"
    val ok = runBlocking(Dispatchers.Default) { loadRun(url, seconds, coroutines, pool) }
    exitProcess(if (ok) 0 else 1)
}

private suspend fun loadRun(url: String, seconds: Long, coroutines: Int, pool: Int): Boolean {
    val checker = createAsyncEngine(url)
    val engine =
        createAsyncEngine(url) {
            poolSize = pool
            maxOverflow = 0
            poolTimeout = Duration.ofSeconds(5)
        }
    val transfer = text("UPDATE load_acct SET bal = bal + :d WHERE id = :id")
    checker.connect { c ->
        c.execDriverSql("DROP TABLE IF EXISTS load_acct")
        c.execDriverSql("CREATE TABLE load_acct (id INT PRIMARY KEY, bal INT NOT NULL)")
        c.execDriverSql("INSERT INTO load_acct SELECT g, 0 FROM generate_series(1, 100) g")
        c.commit()
    }
    val latencies = LongArray(4_000_000)
    val recorded = AtomicLong()
    val done = LongAdder()
    val cancelled = LongAdder()
    val errors = ConcurrentHashMap<String, LongAdder>()
    val deadline = System.nanoTime() + seconds * 1_000_000_000L
    println("load run: $coroutines coroutines, pool $pool, $seconds s against ${engine.url}")
    val started = System.nanoTime()
    coroutineScope {
        repeat(coroutines) { w ->
            launch {
                val random = Random(w)
                while (System.nanoTime() < deadline) {
                    val a = random.nextInt(1, 101)
                    val b = random.nextInt(1, 101)
                    val t0 = System.nanoTime()
                    try {
                        // One in ten is cut short at a random moment.
                        val limit = if (random.nextInt(10) == 0) random.nextLong(1, 20) else 60_000L
                        val r =
                            withTimeoutOrNull(limit) {
                                engine.begin { c ->
                                    // Lock in id order so that transfers never deadlock.
                                    c.execute(transfer, mapOf("d" to 1, "id" to minOf(a, b)))
                                    yield()
                                    c.execute(transfer, mapOf("d" to -1, "id" to maxOf(a, b)))
                                }
                            }
                        if (r == null) cancelled.increment() else done.increment()
                        val i = recorded.getAndIncrement()
                        if (i < latencies.size) latencies[i.toInt()] = System.nanoTime() - t0
                    } catch (e: CancellationException) {
                        throw e
                    } catch (e: Exception) {
                        val kind =
                            if (e is PoolTimeoutException) "PoolTimeoutException (allowed)"
                            else e.javaClass.simpleName
                        errors.computeIfAbsent(kind) { LongAdder() }.increment()
                    }
                }
            }
        }
    }
    val elapsed = (System.nanoTime() - started) / 1e9
    val n = minOf(recorded.get(), latencies.size.toLong()).toInt()
    val sorted = latencies.copyOf(n).also { it.sort() }
    fun pct(p: Double) = if (n == 0) 0.0 else sorted[((n - 1) * p).toInt()] / 1e6
    println(
        "transactions: %,d done, %,d cancelled in %.1f s: %,.0f/s"
            .format(done.sum(), cancelled.sum(), elapsed, done.sum() / elapsed)
    )
    println("latency: p50 %.2f ms, p99 %.2f ms".format(pct(0.50), pct(0.99)))
    println("errors: " + (if (errors.isEmpty()) "none" else errors.mapValues { it.value.sum() }))
    val sum = checker.connect { c -> c.scalar(text("SELECT sum(bal) FROM load_acct")) } as Number
    var status = engine.poolStatus
    for (i in 1..100) {
        if (status!!.checkedOut == 0) break
        kotlinx.coroutines.delay(50)
        status = engine.poolStatus
    }
    println("invariant: sum of balances = $sum (must be 0); pool after: $status")
    engine.dispose()
    checker.connect { c ->
        c.execDriverSql("DROP TABLE load_acct")
        c.commit()
    }
    checker.dispose()
    val unexpected = errors.keys.filterNot { it.endsWith("(allowed)") }
    return sum.toLong() == 0L && status!!.checkedOut == 0 && unexpected.isEmpty()
}
