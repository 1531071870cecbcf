package dev.athanor.bench

import io.r2dbc.pool.ConnectionPool
import io.r2dbc.pool.ConnectionPoolConfiguration
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration
import io.r2dbc.postgresql.PostgresqlConnectionFactory
import io.r2dbc.spi.ValidationDepth
import java.time.Duration
import reactor.netty.resources.LoopResources

/**
 * An r2dbc-postgresql pool set up like the engine's (same size, same event-loop count, own loops):
 * the raw driver and the R2DBC peers each get one.
 */
class DriverPool(name: String, target: PgTarget) : AutoCloseable {
    private val loopResources = LoopResources.create(name, target.loops, true)
    val pool =
        ConnectionPool(
            ConnectionPoolConfiguration.builder(
                    PostgresqlConnectionFactory(
                        PostgresqlConnectionConfiguration.builder()
                            .host(target.host)
                            .port(target.port)
                            .database(target.db)
                            .username(target.user)
                            .loopResources(loopResources)
                            .build()
                    )
                )
                .initialSize(0)
                .maxSize(target.poolSize)
                .validationDepth(ValidationDepth.LOCAL)
                .build()
        )

    override fun close() {
        pool
            .disposeLater()
            .then(loopResources.disposeLater(Duration.ZERO, Duration.ofSeconds(5)))
            .block()
    }
}
