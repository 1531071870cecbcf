package dev.athanor.bench

import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/**
 * The raw driver sending what Athanor's default path sends for a read, the fastest way the driver
 * allows: `BEGIN` and the SELECT in one flight (both subscribed at once, so the driver writes them
 * back to back), then `ROLLBACK` on return, which the caller does not wait for ([pipelinedRead]).
 * Beside the bare raw SELECT it separates the cost of the transaction's statements (this against
 * raw) from Athanor's own (Athanor against this).
 */
class RawSameStatements(driver: DriverPool, private val driverBegin: Boolean = false) : Competitor {
    override val name =
        if (driverBegin) "raw r2dbc, same statements (driver begin)"
        else "raw r2dbc, same statements"
    override val readsOnly = true
    override val canStream = false
    private val pool = driver.pool

    private fun <T : Any> read(sql: String, bind: Int, map: (Flux<User>) -> Mono<T>): Mono<T> {
        val work = { c: io.r2dbc.spi.Connection ->
            map(
                Flux.from(c.createStatement(sql).bind(0, bind).execute()).concatMap { r ->
                    r.map { row, _ -> userOf(row) }
                }
            )
        }
        return if (driverBegin) driverTransactionRead(pool, work) else pipelinedRead(pool, work)
    }

    override fun pkSelect(id: Int): Mono<User> = read(RawDriver.SQL_PK, id) { it.single() }

    override fun select100(offset: Int): Mono<List<User>> =
        read(RawDriver.SQL_100, offset) { it.collectList() }

    private fun readsOnly(): Nothing = throw UnsupportedOperationException("$name runs reads only")

    override fun insertBatch(n: Int, base: Int): Mono<Long> = readsOnly()

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> = readsOnly()

    override fun shortTransaction(id: Int): Mono<Long> = readsOnly()

    override fun close() = Unit // the pool is the harness's
}
