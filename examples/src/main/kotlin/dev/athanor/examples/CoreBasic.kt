package dev.athanor.examples

import dev.athanor.coroutines.createAsyncEngine
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Types
import kotlinx.coroutines.runBlocking

/**
 * The Core example of SQLAlchemy's asyncio documentation, in Kotlin: create a table with `runSync`,
 * insert two rows, read a buffered result, then stream one.
 *
 * Runs on embedded H2 by default; pass a URL as the first argument (or set ATHANOR_URL) to run on
 * PostgreSQL, e.g. `postgresql://postgres@127.0.0.1:5432/test`.
 */
fun main(args: Array<String>) = runBlocking {
    val url = args.firstOrNull() ?: System.getenv("ATHANOR_URL") ?: "h2:mem:///example"

    val meta = MetaData()
    val t1 = meta.table("t1", column("name", Types.string(50)).primaryKey())

    val engine = createAsyncEngine(url)
    try {
        engine.begin { conn ->
            conn.runSync { sync ->
                meta.dropAll(sync)
                meta.createAll(sync)
            }
            conn.execute(
                insert(t1),
                listOf(mapOf("name" to "some name 1"), mapOf("name" to "some name 2")),
            )
        }

        engine.connect { conn ->
            // A buffered result: every row was read before execute() returned.
            val result = conn.execute(select(t1).where(t1.c<String>("name").eq("some name 1")))
            println(result.fetchall())

            // A streaming result: rows come from a server-side cursor as the Flow is collected.
            val stream = conn.stream(select(t1).orderBy(t1.c<String>("name")))
            stream.asFlow().collect { row -> println(row) }
        }
    } finally {
        engine.dispose()
    }
}
