package dev.athanor.coroutines

import dev.athanor.sql.Sql.text
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.withClue
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

/**
 * Checks made from outside: a separate engine that looks at what the database holds and at the
 * server's view of the sessions, never through the engine under test.
 */
class OutsideView(private val db: TestDatabases.Db, private val checker: AsyncEngine) {
    /** Runs a query on the checker's own connection and returns its first column. */
    suspend fun scalar(sql: String, params: Map<String, Any?> = emptyMap()): Any? =
        checker.connect { c ->
            c.scalar(text(sql), params)
        }

    /**
     * The sessions of [app] the server sees in a transaction or running a statement; on H2 (no such
     * view) always 0. A ROLLBACK on return is not awaited, so a just-returned connection may take a
     * moment to leave its transaction: this waits up to a few seconds for 0.
     */
    suspend fun busySessions(app: String): Long {
        if (!db.isPostgres) return 0
        var n = -1L
        for (attempt in 1..300) {
            n =
                scalar(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app " +
                        "AND (state LIKE 'idle in transaction%' OR state = 'active')",
                    mapOf("app" to app),
                )
                    as Long
            if (n == 0L) break
            delay(30)
        }
        return n
    }
}

/** The URL of [db] with a PostgreSQL application name, so the server's view can be filtered. */
fun urlWithApp(db: TestDatabases.Db, app: String): TestDatabases.Db =
    if (db.isPostgres)
        TestDatabases.Db(
            db.name,
            db.url + (if ('?' in db.url) "&" else "?") + "applicationName=$app",
        )
    else db

/** Waits until no connection of [engine] is checked out or waited for. */
suspend fun awaitPoolQuiet(engine: AsyncEngine, clue: String = "") {
    try {
        withTimeout(15_000) {
            while (engine.poolStatus!!.checkedOut != 0 || engine.poolStatus!!.pending != 0) {
                delay(20)
            }
        }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        throw AssertionError("connections still checked out: ${engine.poolStatus} $clue")
    }
}

/** Checks out every connection the pool may hold at once and runs a statement on each. */
suspend fun everyPooledConnectionWorks(engine: AsyncEngine, size: Int, clue: String = "") {
    val conns = (1..size).map { engine.connect() }
    try {
        coroutineScope {
            conns
                .map { c -> async { c.scalar(text("SELECT 1")) } }
                .awaitAll()
                .forEach { v -> withClue(clue) { (v as Number).toInt() shouldBe 1 } }
        }
    } finally {
        conns.forEach { it.close() }
    }
}
