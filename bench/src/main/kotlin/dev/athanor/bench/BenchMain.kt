package dev.athanor.bench

import dev.athanor.coroutines.createAll
import dev.athanor.coroutines.createAsyncEngine
import dev.athanor.coroutines.dropAll
import dev.athanor.engine.EngineUrl
import dev.athanor.sql.Sql.text
import java.io.File
import java.time.Instant
import kotlinx.coroutines.runBlocking

/**
 * Runs the benchmark: every workload against every competitor, interleaved round by round (A B C A
 * B C ...) after a warm-up, and prints the table. The competitors run in worker JVMs ([WorkerJvm]),
 * one per group that shares a pool; this JVM drives them, prepares the data and writes the report.
 *
 * Arguments: `--quick` (default; a few seconds per workload) or `--full` (figures we publish), then
 * optional workload names. `ATHANOR_BENCH_URL` overrides the PostgreSQL URL. `--driver-cost` runs
 * only [DriverStatementCost], the driver's per-statement cost.
 */
private fun List<Double>.averageOrNull(): Double? = if (isEmpty()) null else average()

fun main(args: Array<String>) {
    args
        .firstOrNull { it.startsWith("--chart-from=") }
        ?.let { arg ->
            // Redraws the chart of an earlier run: --chart-from=bench/results/latest.json
            val json = File(arg.substringAfter('='))
            val rows =
                Report.rowsFromJson(json.readText()).filter {
                    it.workload != Retained.WORKLOAD && it.workload != Retained.ORM_WORKLOAD
                }
            Report.chart(rows, File(json.parentFile, "ratios.png"))
            println("Wrote ${File(json.parentFile, "ratios.png")} from ${rows.size} rows")
            return
        }
    val full = "--full" in args
    val only = args.filter { !it.startsWith("--") }.toSet()
    val url = System.getenv("ATHANOR_BENCH_URL") ?: "postgresql://postgres@127.0.0.1:5432/test"
    val parsed = EngineUrl.parse(url)
    // Per competitor and workload: each worker JVM compiles its own code, so none rides on
    // another's warm-up. A stream's round is timed like the others (several whole streams): one
    // stream a round moved by a third from one round to the next.
    val warmupMillis = if (full) 5_000L else 1_000L
    val roundMillis = if (full) 5_000L else 1_000L
    val rounds = if (full) 5 else 3
    val poolSize = 16
    val loops = Runtime.getRuntime().availableProcessors()

    // Run from the repository root (the README command) or from bench/.
    val resultsDir =
        File(
            System.getProperty(
                "athanor.bench.out",
                if (File("bench").isDirectory) "bench/results" else "results",
            )
        )
    val workloads = Workloads.all().filter { only.isEmpty() || it.name in only }
    val retained = only.isEmpty() || Retained.WORKLOAD in only
    val ormRetained = only.isEmpty() || Retained.ORM_WORKLOAD in only
    // ATHANOR_BENCH_COMPETITORS=athanor,raw keeps the competitors whose names contain one of these.
    val keep =
        System.getenv("ATHANOR_BENCH_COMPETITORS")
            ?.split(',')
            ?.map { it.trim() }
            ?.filter { it.isNotEmpty() }
    require(workloads.isNotEmpty() || retained || ormRetained) {
        "No workload named $only; there are ${Workloads.all().map { it.name }}"
    }
    println(
        "Athanor benchmark, ${if (full) "full" else "quick"} mode: warm-up ${warmupMillis / 1000.0}s per competitor, " +
            "$rounds interleaved rounds of ${roundMillis / 1000.0}s, pool $poolSize, $loops event loops"
    )
    setUp(url)
    if ("--driver-cost" in args) {
        val one =
            PgTarget(
                parsed.host(),
                parsed.port(),
                parsed.database(),
                parsed.user() ?: "postgres",
                1,
                1,
            )
        DriverStatementCost.run(one, full)
        return
    }
    // pgbench first, while no pool holds connections (PostgreSQL allows 100 by default).
    // The bare select and the same statements as the default path, interleaved, two rounds each.
    val pgbench =
        workloads
            .filter { it.name.startsWith("pk_select") }
            .associate { w ->
                val bare = mutableListOf<Double>()
                val same = mutableListOf<Double>()
                repeat(2) {
                    Pgbench.run(url, w.concurrency, if (full) 10 else 2)?.let(bare::add)
                    Pgbench.run(url, w.concurrency, if (full) 10 else 2, sameStatements = true)
                        ?.let(same::add)
                }
                w.name to (bare.averageOrNull() to same.averageOrNull())
            }

    val target = PgTarget.of(url, poolSize, loops)
    // Each group of competitors runs in a JVM of its own, so that none inherits another's heap
    // sizing or compiled code; the competitors of a group share a pool, as a program would. Five
    // pools of 16 stay under PostgreSQL's default max_connections (100).
    val workers =
        listOf(
            WorkerJvm.group("raw", url, target, resultsDir),
            WorkerJvm.group("athanor", url, target, resultsDir),
            WorkerJvm.group("peers", url, target, resultsDir),
        ) +
            listOfNotNull(
                WorkerJvm.hibernate(target, resultsDir),
                WorkerJvm.hibernate(target, resultsDir, transactional = false),
            )
    val competitors = workers.flatMap { it.competitors }
    val running = competitors.filter { c ->
        keep == null || c.name == RAW || keep.any { c.name.contains(it) }
    }
    val rows = mutableListOf<Row>()
    try {
        for (w in workloads) {
            val cs = running.filter { w.supports(it) }
            println("\n== ${w.name}: ${w.description}")
            for (c in cs) {
                prepare(url, w)
                measure(c, w, warmupMillis)
            }
            val samples = cs.associateWith { mutableListOf<Sample>() }
            repeat(rounds) {
                for (c in cs) {
                    prepare(url, w)
                    samples.getValue(c) += measure(c, w, roundMillis)
                }
            }
            val medians = samples.mapValues { (_, list) ->
                list.sortedBy { it.unitsPerSecond }[list.size / 2]
            }
            val rawCompetitor = medians.keys.first { it.name == RAW }
            val raw = medians.getValue(rawCompetitor).unitsPerSecond
            val rawRounds = samples.getValue(rawCompetitor).map { it.unitsPerSecond }
            for ((c, m) in medians) {
                rows +=
                    Row(
                        w.name,
                        w.unit,
                        c.name,
                        m.unitsPerSecond,
                        pairedRatio(samples.getValue(c).map { it.unitsPerSecond }, rawRounds),
                        m.p50Micros,
                        m.p99Micros,
                        m.allocBytesPerOp / 1024.0,
                        m.peakHeapMb,
                        m.heapGrowthMb,
                        samples.getValue(c).map { it.unitsPerSecond },
                        samples.getValue(c).map { it.cpuMicrosPerUnit }.sorted()[rounds / 2],
                    )
            }
            if (w.name.startsWith("pk_select")) {
                val (bare, same) = pgbench[w.name] ?: (null to null)
                for ((label, tps) in
                    listOf(
                        "pgbench (C, prepared)" to bare,
                        "pgbench (C, same statements)" to same,
                    )) {
                    if (tps == null) continue
                    rows +=
                        Row(
                            w.name,
                            w.unit,
                            label,
                            tps,
                            tps / raw,
                            0.0,
                            0.0,
                            0.0,
                            0.0,
                            0.0,
                            listOf(tps),
                        )
                }
            }
            println(Report.table(rows.filter { it.workload == w.name }))
        }
        if (retained) {
            println(
                "\n== ${Retained.WORKLOAD}: live heap kept by a 1,000,000-row stream (GC every 100,000 rows)"
            )
            val streamers = running.filter { it.canStream && !it.name.contains("autocommit") }
            rows += retainedRows(Retained.WORKLOAD, streamers, orm = false)
            println(Report.table(rows.filter { it.workload == Retained.WORKLOAD }))
        }
        if (ormRetained) {
            println(
                "\n== ${Retained.ORM_WORKLOAD}: live heap kept by a 1,000,000-entity stream (GC every 100,000 rows)"
            )
            val streamers = running.filter { "stream" in it.orm }
            rows += retainedRows(Retained.ORM_WORKLOAD, streamers, orm = true)
            println(Report.table(rows.filter { it.workload == Retained.ORM_WORKLOAD }))
        }
    } finally {
        workers.forEach { it.close() }
    }
    println("\n" + Report.table(rows))
    val dir = resultsDir
    dir.mkdirs()
    val meta =
        mapOf(
            "mode" to if (full) "full" else "quick",
            "when" to Instant.now().toString(),
            "java" to System.getProperty("java.version"),
            "cores" to loops.toString(),
            "os" to System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        )
    File(dir, "latest.json").writeText(Report.json(rows, meta))
    Report.chart(
        rows.filter { it.workload != Retained.WORKLOAD && it.workload != Retained.ORM_WORKLOAD },
        File(dir, "ratios.png"),
    )
    println("Wrote ${File(dir, "latest.json").absolutePath} and ratios.png")
}

/** The raw driver's name: every ratio is to it. */
private const val RAW = "raw r2dbc"

/**
 * The median over rounds of a competitor's rate divided by the raw driver's rate in the same round
 * (they run back to back). The machine's speed drifts over minutes on a shared 2-core box; a ratio
 * of rounds run side by side moves less than a ratio of two medians taken over the whole workload.
 */
internal fun pairedRatio(rates: List<Double>, rawRates: List<Double>): Double =
    rates.indices.map { rates[it] / rawRates[it] }.sorted()[rates.size / 2]

private fun measure(c: RemoteCompetitor, w: Workload, millis: Long): Sample =
    c.measure(w.name, millis)

/** Measures the retained heap of each streamer's stream; ratios to the raw driver's pace. */
private fun retainedRows(
    workload: String,
    streamers: List<RemoteCompetitor>,
    orm: Boolean,
): List<Row> {
    val measured = streamers.map { it to it.retained(orm) }
    val raw = measured.first { it.first.name == RAW }.second.rowsPerSecond
    return measured.map { (c, r) ->
        Row(
            workload,
            "rows",
            c.name,
            r.rowsPerSecond,
            r.rowsPerSecond / raw,
            0.0,
            0.0,
            0.0,
            0.0,
            r.retainedMb,
            listOf(r.rowsPerSecond),
        )
    }
}

private fun setUp(url: String) = runBlocking {
    val engine = createAsyncEngine(url)
    try {
        engine.begin { conn ->
            BenchSchema.meta.dropAll(conn)
            BenchSchema.meta.createAll(conn)
            conn.execute(
                text(
                    "INSERT INTO bench_users (id, name, email) SELECT g, 'user' || g, 'user' || g || '@example.com' FROM generate_series(1, ${Workloads.USERS}) g"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO bench_big (id, payload) SELECT g, md5(g::text) || md5((g + 1)::text) FROM generate_series(1, ${Workloads.BIG_ROWS}) g"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO bench_parents (id, name) SELECT g, 'parent' || g FROM generate_series(1, ${Workloads.PARENTS}) g"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO bench_children (id, parent_id, name) SELECT g, 1 + (g - 1) / ${Workloads.CHILDREN}, 'child' || g FROM generate_series(1, ${Workloads.PARENTS * Workloads.CHILDREN}) g"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO bench_counters (id, n) SELECT g, 0 FROM generate_series(1, 100) g"
                )
            )
        }
        engine.connect { conn -> conn.execute(text("ANALYZE")) }
    } finally {
        engine.dispose()
    }
}

/**
 * Before each round of a workload that inserts (the Core's and the ORM's): empties the tables it
 * writes, then asks for a checkpoint, so that every round starts from the same table and WAL state.
 * Without it the ORM insert's table grew by millions of rows a round and a WAL-triggered checkpoint
 * landed in whichever competitor's round happened to be running (ratios moved between 0.54 and 0.75
 * from one run to the next on 2026-12-05).
 */
private fun prepare(url: String, w: Workload) {
    if ("insert" in w.name) {
        runBlocking {
            val engine = createAsyncEngine(url) { pooled = false }
            try {
                engine.begin { conn -> conn.execute(text("TRUNCATE bench_insert")) }
                engine.begin { conn -> conn.execute(text("TRUNCATE bench_items")) }
                checkpoint(engine)
            } finally {
                engine.dispose()
            }
        }
    }
}

private var checkpointRefused = false

/** `CHECKPOINT`, which needs a superuser or `pg_checkpoint`; said once when refused. */
private suspend fun checkpoint(engine: dev.athanor.coroutines.AsyncEngine) {
    if (checkpointRefused) return
    try {
        engine.connect { conn -> conn.execute(text("CHECKPOINT")) }
    } catch (e: dev.athanor.error.DatabaseException) {
        checkpointRefused = true
        println(
            "!! CHECKPOINT refused (${e.message}); insert rounds may meet a checkpoint mid-round."
        )
    }
}
