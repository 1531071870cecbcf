package dev.athanor.coroutines

import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Table
import dev.athanor.sql.Types
import dev.athanor.testkit.TestDatabases
import io.kotest.core.spec.style.FunSpec
import io.kotest.core.spec.style.scopes.FunSpecContainerScope

/** The databases every behaviour spec runs on. */
val databases: List<TestDatabases.Db> = TestDatabases.all()

/** Registers the tests of [body] once per database, in a context named after it. */
fun FunSpec.eachDatabase(body: suspend FunSpecContainerScope.(TestDatabases.Db) -> Unit) {
    for (db in databases) {
        context(db.name) { body(db) }
    }
}

/** Runs [block] with a fresh engine on [db] and disposes it afterwards. */
suspend fun <T> withEngine(
    db: TestDatabases.Db,
    configure: EngineSettings.() -> Unit = {},
    block: suspend (AsyncEngine) -> T,
): T {
    val engine = createAsyncEngine(db.url, configure)
    try {
        return block(engine)
    } finally {
        engine.dispose()
    }
}

/**
 * Runs [block] with two engines, pools of 2, each holding the tables of [schemas] afresh: `orders`
 * on [db] and `audit` on an H2 database of its own (a session over two databases). Afterwards every
 * connection of both must be back in its pool.
 */
suspend fun withOrdersAndAudit(
    db: TestDatabases.Db,
    schemas: List<MetaData>,
    block: suspend (orders: AsyncEngine, audit: AsyncEngine) -> Unit,
) {
    withEngine(db, { poolSize = 2 }) { orders ->
        withEngine(TestDatabases.Db("h2", TestDatabases.freshH2Url()), { poolSize = 2 }) { audit ->
            for (e in listOf(orders, audit)) {
                e.begin { conn ->
                    schemas.forEach { it.dropAll(conn) }
                    schemas.forEach { it.createAll(conn) }
                }
            }
            block(orders, audit)
            awaitPoolQuiet(orders, "orders")
            awaitPoolQuiet(audit, "audit")
        }
    }
}

/** A users/addresses schema with table names unique to one spec, so specs never collide. */
class Schema(prefix: String) {
    val meta = MetaData()
    val users: Table =
        meta.table(
            "${prefix}_users",
            column("id", Types.INTEGER).primaryKey(),
            column("name", Types.string(30)).notNull().unique(),
            column("fullname", Types.string(100)),
        )
    val addresses: Table =
        meta.table(
            "${prefix}_addresses",
            column("id", Types.INTEGER).primaryKey(),
            column("user_id", Types.INTEGER).notNull().references("${prefix}_users.id", "CASCADE"),
            column("email", Types.string(100)).notNull(),
        )

    /** Drops and creates the tables. */
    suspend fun reset(engine: AsyncEngine) {
        engine.begin { conn ->
            meta.dropAll(conn)
            meta.createAll(conn)
        }
    }

    /** Drops the tables. */
    suspend fun drop(engine: AsyncEngine) {
        engine.begin { conn -> meta.dropAll(conn) }
    }
}

/** Counts the rows of a table on a fresh connection (sees only committed data). */
suspend fun countRows(engine: AsyncEngine, table: Table): Long = engine.connect { conn ->
    (conn.scalar(dev.athanor.sql.Sql.select(dev.athanor.sql.Func.count()).selectFrom(table))
            as Number)
        .toLong()
}

/** Engine options for tests that want a small pool. */
fun EngineSettings.smallPool(size: Int = 2) {
    poolSize = size
    maxOverflow = 0
}

/** Runs [block] and returns the lines the engine's echo logger wrote meanwhile. */
suspend fun captureEcho(block: suspend () -> Unit): List<String> {
    val logger =
        org.slf4j.LoggerFactory.getLogger("dev.athanor.engine") as ch.qos.logback.classic.Logger
    val appender =
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>().also {
            it.start()
        }
    logger.addAppender(appender)
    try {
        block()
    } finally {
        logger.detachAppender(appender)
    }
    return appender.list.map { it.formattedMessage }
}

/** Records the SQL of every statement the engine executes from now on, in order. */
fun AsyncEngine.recordStatements(): List<String> {
    val seen = java.util.concurrent.CopyOnWriteArrayList<String>()
    events.add(
        object : dev.athanor.engine.EngineListener {
            override fun beforeExecute(ctx: dev.athanor.engine.ExecuteContext) {
                seen.add(ctx.sql())
            }
        }
    )
    return seen
}
