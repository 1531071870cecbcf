package dev.athanor.bench

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration
import io.r2dbc.postgresql.PostgresqlConnectionFactory
import io.r2dbc.spi.Connection
import java.time.Duration
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono
import reactor.netty.resources.LoopResources

/**
 * A minimal reproduction of r2dbc-postgresql's per-statement client cost, with no pool, no Athanor
 * and no concurrency: one connection runs each form back to back and the table gives the allocation
 * per statement (all threads) and the statements per second. It shows that a `BEGIN` or `ROLLBACK`
 * sent as SQL costs the client about what a one-row SELECT does, whatever its size, and what the
 * driver's own transaction calls (which skip the SQL parser) save.
 *
 * Run with `-Dexec.args="--driver-cost"` (add `--full` for longer runs).
 */
object DriverStatementCost {
    private class Form(val name: String, val statements: Int, val op: (Connection) -> Mono<*>)

    private fun sql(c: Connection, sql: String): Mono<Long> =
        Flux.from(c.createStatement(sql).execute()).concatMap { it.rowsUpdated }.then(Mono.just(1L))

    private val forms =
        listOf(
            Form("SELECT 1 (no parameters)", 1) { c ->
                Flux.from(c.createStatement("SELECT 1").execute())
                    .concatMap { r -> r.map { row, _ -> row.get(0) } }
                    .then()
            },
            Form("primary-key SELECT (one parameter, one row)", 1) { c ->
                Flux.from(c.createStatement(RawDriver.SQL_PK).bind(0, 1).execute())
                    .concatMap { r -> r.map { row, _ -> row.get(1) } }
                    .then()
            },
            Form("BEGIN, ROLLBACK as SQL statements", 2) { c ->
                sql(c, "BEGIN").then(sql(c, "ROLLBACK"))
            },
            Form("beginTransaction(), rollbackTransaction()", 2) { c ->
                Mono.from(c.beginTransaction()).then(Mono.from(c.rollbackTransaction()))
            },
        )

    fun run(target: PgTarget, full: Boolean) {
        val loops = LoopResources.create("cost-pg", 1, true)
        val factory =
            PostgresqlConnectionFactory(
                PostgresqlConnectionConfiguration.builder()
                    .host(target.host)
                    .port(target.port)
                    .database(target.db)
                    .username(target.user)
                    .loopResources(loops)
                    .build()
            )
        val conn = Mono.from(factory.create()).block()!!
        val millis = if (full) 5_000L else 1_000L
        try {
            println("\n== r2dbc-postgresql per statement, one connection, one at a time")
            println("%-46s %12s %14s".format("form", "stmts/s", "KB/statement"))
            for (f in forms) {
                Measure.run(1, millis, op = { f.op(conn) }) // warm-up
                val s = Measure.run(1, millis, op = { f.op(conn) })
                println(
                    "%-46s %,12.0f %14.2f"
                        .format(
                            f.name,
                            s.unitsPerSecond * f.statements,
                            s.allocBytesPerOp / f.statements / 1024.0,
                        )
                )
            }
        } finally {
            Mono.from(conn.close()).block()
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block()
        }
    }
}
