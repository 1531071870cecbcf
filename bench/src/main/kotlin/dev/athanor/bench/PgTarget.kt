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
) {
    companion object {
        /** The target that an Athanor-style URL names, with this pool size and event-loop count. */
        fun of(url: String, poolSize: Int, loops: Int): PgTarget {
            val parsed = dev.athanor.engine.EngineUrl.parse(url)
            return PgTarget(
                parsed.host(),
                parsed.port(),
                parsed.database(),
                parsed.user() ?: "postgres",
                poolSize,
                loops,
            )
        }
    }
}
