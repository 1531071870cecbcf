package dev.athanor.bench

import reactor.core.publisher.Mono

/** A workload: how to drive one competitor for one measured run. */
class Workload(
    val name: String,
    val unit: String,
    val concurrency: Int,
    val description: String,
    val supports: (Competitor) -> Boolean = { true },
    val op: (Competitor, Int) -> Mono<*>,
    val unitsOf: (Any?) -> Long = { 1L },
)

/**
 * Checks a loaded graph's shape (the children counted per parent): every form must load the same
 * graph, 100 parents with [Workloads.CHILDREN] children each.
 */
fun checkGraph(childCounts: List<Int>) {
    check(childCounts.size == 100 && childCounts.all { it == Workloads.CHILDREN }) {
        "graph workload loaded ${childCounts.size} parents with children $childCounts"
    }
}

/** Busy-waits [nanos]: a consumer doing work, without the timer slack of parking. */
fun spin(nanos: Long) {
    val end = System.nanoTime() + nanos
    while (System.nanoTime() < end) Thread.onSpinWait()
}

/** The Core workloads of the benchmark issue. */
object Workloads {
    const val USERS = 10_000
    const val BIG_ROWS = 1_000_000
    const val PARENTS = 1_000
    const val CHILDREN = 10
    private val reads: (Competitor) -> Boolean = { true }
    private val writes: (Competitor) -> Boolean = {
        !it.name.contains("autocommit") && !it.readsOnly
    }
    private val streams: (Competitor) -> Boolean = { writes(it) && it.canStream }

    /** The i-th key of a spread walk over the users (no overflow at any i). */
    fun key(i: Int): Int = 1 + Math.floorMod(i.toLong() * 7919L, USERS.toLong()).toInt()

    fun all(): List<Workload> =
        listOf(
            Workload(
                "pk_select_c1",
                "ops",
                1,
                "select one row by primary key, concurrency 1",
                reads,
                { c, i -> c.pkSelect(key(i)) },
            ),
            Workload(
                "pk_select_c64",
                "ops",
                64,
                "select one row by primary key, concurrency 64",
                reads,
                { c, i -> c.pkSelect(key(i)) },
            ),
            Workload(
                "select_100_c1",
                "ops",
                1,
                "select 100 rows and map them to objects",
                reads,
                { c, i -> c.select100((i * 100) % (USERS - 100)) },
            ),
            Workload(
                "insert_10k",
                "rows",
                1,
                "insert 10,000 rows as one executemany in a transaction",
                writes,
                { c, i -> c.insertBatch(10_000, i * 10_000) },
                { (it as Number).toLong() },
            ),
            Workload(
                "stream_1m_fast",
                "rows",
                1,
                "stream 1,000,000 rows, fast consumer",
                streams,
                { c, _ -> c.stream { _, _ -> } },
                { (it as Number).toLong() },
            ),
            Workload(
                "stream_1m_slow",
                "rows",
                1,
                "stream 1,000,000 rows, slow consumer (1 us of work per row)",
                streams,
                { c, _ -> c.stream { _, _ -> spin(1_000) } },
                { (it as Number).toLong() },
            ),
            Workload(
                "short_txn_c1",
                "ops",
                1,
                "begin, update, select, commit",
                writes,
                { c, i -> c.shortTransaction(1 + i % 100) },
            ),
            Workload(
                "short_txn_c64",
                "ops",
                64,
                "begin, update, select, commit, concurrency 64",
                writes,
                { c, i -> c.shortTransaction(1 + i % 100) },
            ),
            Workload(
                "orm_get_c1",
                "ops",
                1,
                "ORM: get by primary key in a fresh session (identity-map miss)",
                { "get" in it.orm },
                { c, i -> c.ormGet(key(i)) },
            ),
            Workload(
                "orm_get_c64",
                "ops",
                64,
                "ORM: get by primary key in a fresh session, concurrency 64",
                { "get" in it.orm },
                { c, i -> c.ormGet(key(i)) },
            ),
            Workload(
                "orm_get_cached",
                "ops",
                1,
                "ORM: get of an object the session holds (identity-map hit, no statement)",
                { "cached" in it.orm },
                { c, i -> c.ormGetCached(key(i)) },
            ),
            Workload(
                "orm_query_100",
                "ops",
                1,
                "ORM: query 100 entities in a fresh session",
                { "query" in it.orm },
                { c, i -> c.ormQuery100((i * 100) % (USERS - 100)) },
            ),
            Workload(
                "orm_graph_100x10",
                "ops",
                1,
                "ORM: 100 parents and their 10 children each in a fresh session (two statements)",
                { "graph" in it.orm },
                { c, i -> c.ormGraph(1 + (i * 100) % (PARENTS - 100)) },
            ),
            Workload(
                "orm_flush_insert_10k",
                "rows",
                1,
                "ORM: add 10,000 new entities and commit (generated keys read back)",
                { "insert" in it.orm },
                { c, i -> c.ormInsert(10_000, i) },
                { (it as Number).toLong() },
            ),
            Workload(
                "orm_flush_update_1k",
                "rows",
                1,
                "ORM: load 1,000 entities, change one attribute of each, commit",
                { "update" in it.orm },
                { c, i -> c.ormUpdate1k(1 + (i * 1000) % (USERS - 1000), i) },
                { (it as Number).toLong() },
            ),
            Workload(
                "orm_stream_1m",
                "rows",
                1,
                "ORM: stream 1,000,000 entities (yieldPer 1000, each batch let go once read)",
                { "stream" in it.orm },
                { c, _ -> c.ormStream {} },
                { (it as Number).toLong() },
            ),
        )
}
