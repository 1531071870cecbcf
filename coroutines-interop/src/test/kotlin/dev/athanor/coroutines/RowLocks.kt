package dev.athanor.coroutines

import dev.athanor.engine.EngineListener
import dev.athanor.engine.ExecuteContext
import dev.athanor.sql.Executable
import dev.athanor.sql.Sql.text
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout

/*
 * The set-up of the cancellation specs that need a statement held in flight: a table whose row 1
 * another connection's transaction keeps locked, so that an UPDATE of that row waits until the
 * holder rolls back, and everything asked of its connection afterwards queues behind it.
 */

/** Creates [table] (id, name) afresh with row (1, 'before'). */
suspend fun createLockItems(engine: AsyncEngine, table: String) {
    engine.begin { c ->
        c.execute(text("DROP TABLE IF EXISTS $table"))
        c.execute(text("CREATE TABLE $table (id INT PRIMARY KEY, name VARCHAR(20))"))
        c.execute(text("INSERT INTO $table VALUES (1, 'before')"))
    }
}

/** Another connection's transaction updates row 1 of [table] and keeps its lock until rollback. */
suspend fun lockRowOne(engine: AsyncEngine, table: String): AsyncConnection {
    val holder = engine.connect()
    holder.begin()
    holder.execute(text("UPDATE $table SET name = 'holder' WHERE id = 1"))
    return holder
}

/**
 * Sends `UPDATE [table] SET name = 'stmt' WHERE id = 1` with [execute], which runs it on [conn]
 * (directly, or through a session over it), and stops waiting for it once it is on its way: the
 * UPDATE stays in flight, abandoned, waiting for row 1's lock.
 */
suspend fun abandonWaitingUpdate(
    conn: AsyncConnection,
    table: String,
    execute: suspend (Executable) -> Unit = { conn.execute(it) },
) = coroutineScope {
    val sent = CompletableDeferred<Unit>()
    conn.events.add(
        object : EngineListener {
            override fun beforeExecute(context: ExecuteContext) {
                if ("'stmt'" in context.sql()) sent.complete(Unit)
            }
        }
    )
    val stmt = launch { execute(text("UPDATE $table SET name = 'stmt' WHERE id = 1")) }
    withTimeout(10_000) { sent.await() }
    stmt.cancelAndJoin()
}

/** The rows of [table], id to name, in id order. */
suspend fun itemNames(engine: AsyncEngine, table: String): Map<Int, String> = engine.connect { c ->
    c.execute(text("SELECT id, name FROM $table ORDER BY id")).all().associate {
        (it!![0] as Number).toInt() to it[1] as String
    }
}
