package dev.athanor.bench

import io.r2dbc.pool.ConnectionPool
import io.r2dbc.spi.Connection
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/** A `bench_users` row (id, name, email) mapped by hand. */
fun userOf(row: io.r2dbc.spi.Row): User =
    User(
        row.get(0, Integer::class.java)!!.toInt(),
        row.get(1, String::class.java)!!,
        row.get(2, String::class.java)!!,
    )

/**
 * The statements a read on Athanor's default path sends (a session or connection that only reads),
 * the fastest way the driver allows: `BEGIN` subscribed together with [work], so that both leave in
 * one flight, then `ROLLBACK` on return, which the caller does not wait for (as Athanor does not).
 */
fun <T : Any> pipelinedRead(pool: ConnectionPool, work: (Connection) -> Mono<T>): Mono<T> {
    val release: (Connection) -> Mono<Void> = { c ->
        Mono.fromRunnable {
            Flux.from(c.createStatement("ROLLBACK").execute())
                .flatMap { it.rowsUpdated }
                .then(Mono.from(c.close()))
                .onErrorResume { Mono.from(c.close()) }
                .subscribe()
        }
    }
    return Mono.usingWhen(
        pool.create(),
        { c ->
            val begin = Flux.from(c.createStatement("BEGIN").execute()).flatMap { it.rowsUpdated }
            Mono.zip(begin.then(Mono.just(true)), work(c)).map { it.t2 }
        },
        release,
        { c, _ -> release(c) },
        release,
    )
}

/**
 * The same statements through the driver's own transaction calls: `beginTransaction()` and
 * `rollbackTransaction()` send their SQL as a bare simple query (no SQL parsing, no result
 * windows). The driver skips `BEGIN` while it believes a transaction open, so the `ROLLBACK` is
 * awaited before the connection goes back to the pool.
 */
fun <T : Any> driverTransactionRead(pool: ConnectionPool, work: (Connection) -> Mono<T>): Mono<T> {
    val release: (Connection) -> Mono<Void> = { c ->
        Mono.from(c.rollbackTransaction()).onErrorResume { Mono.empty() }.then(Mono.from(c.close()))
    }
    return Mono.usingWhen(
        pool.create(),
        { c ->
            Mono.zip(Mono.from(c.beginTransaction()).then(Mono.just(true)), work(c)).map { it.t2 }
        },
        release,
        { c, _ -> release(c) },
        release,
    )
}
