package dev.athanor.bench

/**
 * The PostgreSQL server and the pool settings every competitor gets: the same pool size and
 * event-loop count as the engine.
 */
data class PgTarget(
    val host: String,
    val port: Int,
    val db: String,
    val user: String,
    val poolSize: Int,
    val loops: Int,
)
