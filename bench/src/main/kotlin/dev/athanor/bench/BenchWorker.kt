package dev.athanor.bench

import dev.athanor.coroutines.asAsync
import dev.athanor.engine.Engine
import dev.athanor.engine.EngineOptions
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.IsolationLevel

/**
 * A worker JVM of the main run ([WorkerJvm]): serves one group of competitors that share a pool.
 * Arguments: group (`raw`: the raw driver and the two raw forms of the default path's statements;
 * `athanor`: the Kotlin face, the Java face and the Kotlin face in AUTOCOMMIT, on one engine;
 * `peers`: Spring's `DatabaseClient` and jOOQ), PostgreSQL URL, pool size, event loops.
 */
fun main(args: Array<String>) {
    val (group, url) = args
    val poolSize = args[2].toInt()
    val loops = args[3].toInt()
    val target = PgTarget.of(url, poolSize, loops)
    val closing = mutableListOf<AutoCloseable>()
    val competitors: List<Competitor> =
        when (group) {
            "raw" -> {
                val pool = DriverPool("r2dbc-pg", target).also(closing::add)
                listOf(
                    RawDriver(pool),
                    RawSameStatements(pool),
                    RawSameStatements(pool, driverBegin = true),
                )
            }
            "athanor" -> {
                val options =
                    EngineOptions.defaults()
                        .poolSize(poolSize)
                        .maxOverflow(0)
                        .eventLoopThreads(loops)
                val athanor = Engine.create(url, options).asAsync()
                listOf(
                    AthanorKotlin(athanor),
                    // The faces and the AUTOCOMMIT variant are views of one core engine.
                    AthanorJava(dev.athanor.java.AsyncEngine.of(athanor.core), ownsEngine = false),
                    AthanorKotlin(
                        athanor.executionOptions(
                            ExecutionOptions.DEFAULTS.isolationLevel(IsolationLevel.AUTOCOMMIT)
                        ),
                        "athanor kotlin (autocommit)",
                        ownsEngine = false,
                    ),
                )
            }
            "peers" -> {
                val pool = DriverPool("r2dbc-pg", target).also(closing::add)
                listOf(SpringDatabaseClient(pool), JooqR2dbc(pool))
            }
            else -> error("no competitor group '$group' (raw, athanor, peers)")
        }
    try {
        WorkerLoop.serve(competitors)
    } finally {
        // Competitors first (the owning Athanor one disposes its engine), then shared pools.
        competitors.reversed().forEach { it.close() }
        closing.forEach { it.close() }
    }
}
