package dev.athanor.bench

import io.r2dbc.spi.Connection
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/**
 * The limit: r2dbc-postgresql over r2dbc-pool, written the fastest way we know (prepared
 * statements, autocommit for reads, explicit transactions for writes), with the same pool size and
 * event-loop count as the engine.
 */
class RawDriver(driver: DriverPool) : Competitor {
    override val name = "raw r2dbc"
    private val pool = driver.pool

    private fun <T : Any> with(work: (Connection) -> Mono<T>): Mono<T> =
        Mono.usingWhen(pool.create(), work, Connection::close)

    override fun pkSelect(id: Int): Mono<User> = with { c ->
        Flux.from(c.createStatement(SQL_PK).bind(0, id).execute())
            .concatMap { r ->
                r.map { row, _ -> userOf(row) }
            }
            .single()
    }

    override fun select100(offset: Int): Mono<List<User>> = with { c ->
        Flux.from(c.createStatement(SQL_100).bind(0, offset).execute())
            .concatMap { r ->
                r.map { row, _ -> userOf(row) }
            }
            .collectList()
    }

    /**
     * Multi-row VALUES, 1,000 rows per statement: far faster than `Statement.add()` batches. Each
     * page's statement is made (parsed and bound by the driver) when the one before it has been
     * sent, so that the client works while the server inserts, and only two pages are held.
     */
    override fun insertBatch(n: Int, base: Int): Mono<Long> = with { c ->
        Mono.from(c.beginTransaction())
            .then(
                Flux.range(0, (n + PAGE - 1) / PAGE)
                    .map { page ->
                        val from = page * PAGE
                        val rows = minOf(PAGE, n - from)
                        val st = c.createStatement(insertSql(rows))
                        for (r in 0 until rows) {
                            st.bind(2 * r, base + from + r)
                                .bind(2 * r + 1, "name${base + from + r}")
                        }
                        st
                    }
                    // A prefetch of one: the next page is made as the current one starts.
                    .concatMap({ st -> Flux.from(st.execute()).concatMap { it.rowsUpdated } }, 1)
                    .reduce(0L) { a, b -> a + b }
            )
            .flatMap { n2 -> Mono.from(c.commitTransaction()).thenReturn(n2) }
    }

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> = with { c ->
        Mono.from(c.beginTransaction())
            .then(
                Flux.from(c.createStatement(SQL_STREAM).fetchSize(1000).execute())
                    .concatMap { r ->
                        r.map { row, _ ->
                            consume(
                                row.get(0, Integer::class.java)!!.toInt(),
                                row.get(1, String::class.java)!!,
                            )
                        }
                    }
                    .count()
            )
            .flatMap { n -> Mono.from(c.commitTransaction()).thenReturn(n) }
    }

    override fun shortTransaction(id: Int): Mono<Long> = with { c ->
        Mono.from(c.beginTransaction())
            .then(
                Flux.from(c.createStatement(SQL_UPDATE).bind(0, id).execute())
                    .concatMap { it.rowsUpdated }
                    .then()
            )
            .then(
                Flux.from(c.createStatement(SQL_READ).bind(0, id).execute())
                    .concatMap { r ->
                        r.map { row, _ -> row.get(0, java.lang.Long::class.java)!!.toLong() }
                    }
                    .single()
            )
            .flatMap { n -> Mono.from(c.commitTransaction()).thenReturn(n) }
    }

    override val orm = setOf("get", "cached", "query", "graph", "insert", "update", "stream")

    /** A row of the big table mapped by hand. */
    class BigRow(val id: Int, val payload: String)

    /** The stream workload's statements, each row made into an object. */
    override fun ormStream(consume: (Any) -> Unit): Mono<Long> = with { c ->
        Mono.from(c.beginTransaction())
            .then(
                Flux.from(c.createStatement(SQL_STREAM).fetchSize(1000).execute())
                    .concatMap { r ->
                        r.map { row, _ ->
                            BigRow(
                                row.get(0, Integer::class.java)!!.toInt(),
                                row.get(1, String::class.java)!!,
                            )
                        }
                    }
                    .doOnNext(consume)
                    .count()
            )
            .flatMap { n -> Mono.from(c.commitTransaction()).thenReturn(n) }
    }

    /** The hand-written entity the raw ORM forms map rows to. */
    class UserRow(var id: Int, var name: String, var email: String)

    private fun entity(row: io.r2dbc.spi.Row) =
        UserRow(
            row.get(0, Integer::class.java)!!.toInt(),
            row.get(1, String::class.java)!!,
            row.get(2, String::class.java)!!,
        )

    /** BEGIN, [work], ROLLBACK: what a session that only reads sends. */
    override fun ormGet(id: Int): Mono<Any> =
        pipelinedRead(pool) { c ->
            Flux.from(c.createStatement(SQL_PK).bind(0, id).execute())
                .concatMap { r -> r.map { row, _ -> entity(row) as Any } }
                .single()
        }

    /** A hand-made identity map: objects by key. */
    private val held: Map<Int, UserRow> =
        (1..Workloads.USERS).associateWith { UserRow(it, "user$it", "user$it@example.com") }

    override fun ormGetCached(id: Int): Mono<Any> = Mono.just(held.getValue(id))

    override fun ormQuery100(offset: Int): Mono<List<Any>> =
        pipelinedRead(pool) { c ->
            Flux.from(c.createStatement(SQL_100).bind(0, offset).execute())
                .concatMap { r -> r.map { row, _ -> entity(row) as Any } }
                .collectList()
        }

    /** Hand-made graph objects: a parent with its children. */
    class ParentRow(val id: Int, val name: String) {
        val children = ArrayList<ChildRow>()
    }

    class ChildRow(val id: Int, val parentId: Int, val name: String)

    /** The parents, then their children by `parent_id IN (...)`, gathered by parent key. */
    override fun ormGraph(from: Int): Mono<List<Any>> =
        pipelinedRead(pool) { c ->
            Flux.from(c.createStatement(SQL_PARENTS).bind(0, from).bind(1, from + 99).execute())
                .concatMap { r ->
                    r.map { row, _ ->
                        ParentRow(
                            row.get(0, Integer::class.java)!!.toInt(),
                            row.get(1, String::class.java)!!,
                        )
                    }
                }
                .collectList()
                .flatMap { parents ->
                    val byId = HashMap<Int, ParentRow>(parents.size * 2)
                    parents.forEach { byId[it.id] = it }
                    val st = c.createStatement(childrenSql(parents.size))
                    parents.forEachIndexed { i, p -> st.bind(i, p.id) }
                    Flux.from(st.execute())
                        .concatMap { r ->
                            r.map { row, _ ->
                                ChildRow(
                                    row.get(0, Integer::class.java)!!.toInt(),
                                    row.get(1, Integer::class.java)!!.toInt(),
                                    row.get(2, String::class.java)!!,
                                )
                            }
                        }
                        .doOnNext { byId.getValue(it.parentId).children.add(it) }
                        .then(Mono.fromCallable { checkGraph(parents.map { it.children.size }) })
                        .thenReturn(parents as List<Any>)
                }
        }

    /** A hand-made new item: its key comes back from the INSERT. */
    class ItemRow(var id: Int?, val name: String)

    /** Multi-row `INSERT ... RETURNING id` pages in one transaction; keys set on the objects. */
    override fun ormInsert(n: Int, round: Int): Mono<Long> = with { c ->
        val items = (0 until n).map { ItemRow(null, "item$round.$it") }
        Mono.from(c.beginTransaction())
            .thenMany(
                Flux.fromIterable(items.chunked(PAGE)).concatMap { page ->
                    val st = c.createStatement(itemSql(page.size))
                    page.forEachIndexed { i, item -> st.bind(i, item.name) }
                    var at = 0
                    Flux.from(st.execute()).concatMap { r ->
                        r.map { row, _ ->
                            page[at++].id = row.get(0, Integer::class.java)!!.toInt()
                        }
                    }
                }
            )
            .then(Mono.from(c.commitTransaction()))
            .thenReturn(n.toLong())
    }

    /**
     * BEGIN, SELECT 1,000 users, map, change, UPDATE of the changed names, COMMIT. The UPDATE is
     * the fastest form the driver allows: one `UPDATE ... FROM (VALUES ...)` statement. A
     * multi-binding executemany runs one binding per round trip (about 12x slower for 1,000 rows
     * here).
     */
    override fun ormUpdate1k(from: Int, round: Int): Mono<Long> = with { c ->
        Mono.from(c.beginTransaction())
            .then(
                Flux.from(c.createStatement(SQL_1K).bind(0, from).bind(1, from + 999).execute())
                    .concatMap { r -> r.map { row, _ -> entity(row) } }
                    .collectList()
            )
            .flatMap { users ->
                val st = c.createStatement(setNamesSql(users.size))
                users.forEachIndexed { i, u ->
                    u.name = "user${u.id}.$round"
                    st.bind(2 * i, u.name).bind(2 * i + 1, u.id)
                }
                Flux.from(st.execute()).concatMap { it.rowsUpdated }.reduce(0L) { a, b -> a + b }
            }
            .flatMap { n -> Mono.from(c.commitTransaction()).thenReturn(n) }
    }

    override fun close() = Unit // the pool is the harness's

    companion object {
        const val SQL_PK = "SELECT id, name, email FROM bench_users WHERE id = $1"
        const val SQL_100 =
            "SELECT id, name, email FROM bench_users ORDER BY id LIMIT 100 OFFSET $1"
        const val PAGE = 1000
        private val insertSqls = HashMap<Int, String>()

        /** `INSERT ... VALUES ($1, $2), ($3, $4), ...` for [rows] rows, built once per size. */
        fun insertSql(rows: Int): String =
            synchronized(insertSqls) {
                insertSqls.getOrPut(rows) {
                    (0 until rows).joinToString(
                        ", ",
                        "INSERT INTO bench_insert (id, name) VALUES ",
                    ) {
                        "(\$${2 * it + 1}, \$${2 * it + 2})"
                    }
                }
            }

        const val SQL_1K =
            "SELECT id, name, email FROM bench_users WHERE id BETWEEN $1 AND $2 ORDER BY id"
        private val setNamesSqls = HashMap<Int, String>()

        /** `UPDATE bench_users SET name = v.name FROM (VALUES ($1, $2), ...) v WHERE id = v.id`. */
        fun setNamesSql(rows: Int): String =
            synchronized(setNamesSqls) {
                setNamesSqls.getOrPut(rows) {
                    (0 until rows).joinToString(
                        ", ",
                        "UPDATE bench_users SET name = v.name FROM (VALUES ",
                        ") AS v (name, id) WHERE bench_users.id = v.id",
                    ) {
                        "(\$${2 * it + 1}::varchar, \$${2 * it + 2}::integer)"
                    }
                }
            }

        private val itemSqls = HashMap<Int, String>()

        /** `INSERT INTO bench_items (name) VALUES ($1), ... RETURNING id` for [rows] rows. */
        fun itemSql(rows: Int): String =
            synchronized(itemSqls) {
                itemSqls.getOrPut(rows) {
                    (1..rows).joinToString(
                        ", ",
                        "INSERT INTO bench_items (name) VALUES ",
                        " RETURNING id",
                    ) {
                        "(\$$it)"
                    }
                }
            }

        const val SQL_PARENTS =
            "SELECT id, name FROM bench_parents WHERE id BETWEEN $1 AND $2 ORDER BY id"
        private val childrenSqls = HashMap<Int, String>()

        /** `SELECT ... FROM bench_children WHERE parent_id IN ($1, ...)` for [keys] keys. */
        fun childrenSql(keys: Int): String =
            synchronized(childrenSqls) {
                childrenSqls.getOrPut(keys) {
                    (1..keys).joinToString(
                        ", ",
                        "SELECT id, parent_id, name FROM bench_children WHERE parent_id IN (",
                        ") ORDER BY id",
                    ) {
                        "\$$it"
                    }
                }
            }

        const val SQL_STREAM = "SELECT id, payload FROM bench_big"
        const val SQL_UPDATE = "UPDATE bench_counters SET n = n + 1 WHERE id = $1"
        const val SQL_READ = "SELECT n FROM bench_counters WHERE id = $1"
    }
}
