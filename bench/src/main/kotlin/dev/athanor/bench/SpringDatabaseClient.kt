package dev.athanor.bench

import org.springframework.r2dbc.connection.R2dbcTransactionManager
import org.springframework.r2dbc.core.DatabaseClient
import org.springframework.transaction.reactive.TransactionalOperator
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/**
 * Spring's R2DBC `DatabaseClient` (spring-r2dbc, as Spring Data R2DBC uses it) over the raw
 * driver's r2dbc-pool, with transactions from a `TransactionalOperator`, written as its guide
 * shows. `DatabaseClient` has no batch of parameter sets, so its insert workload runs row by row in
 * one transaction.
 */
class SpringDatabaseClient(driver: DriverPool) : Competitor {
    override val name = "spring DatabaseClient"
    private val client = DatabaseClient.create(driver.pool)
    private val tx = TransactionalOperator.create(R2dbcTransactionManager(driver.pool))

    private fun user(row: io.r2dbc.spi.Row) =
        User(
            row.get("id", Integer::class.java)!!.toInt(),
            row.get("name", String::class.java)!!,
            row.get("email", String::class.java)!!,
        )

    override fun pkSelect(id: Int): Mono<User> =
        client
            .sql("SELECT id, name, email FROM bench_users WHERE id = :id")
            .bind("id", id)
            .map { row, _ -> user(row) }
            .one()

    override fun select100(offset: Int): Mono<List<User>> =
        client
            .sql("SELECT id, name, email FROM bench_users ORDER BY id LIMIT 100 OFFSET :offset")
            .bind("offset", offset)
            .map { row, _ -> user(row) }
            .all()
            .collectList()

    override fun insertBatch(n: Int, base: Int): Mono<Long> =
        tx.transactional(
            Flux.range(base, n)
                .concatMap { i ->
                    client
                        .sql("INSERT INTO bench_insert (id, name) VALUES (:id, :name)")
                        .bind("id", i)
                        .bind("name", "name$i")
                        .fetch()
                        .rowsUpdated()
                }
                .reduce(0L) { a, b -> a + b }
        )

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> =
        tx.transactional(
            client
                .sql("SELECT id, payload FROM bench_big")
                .filter { s -> s.fetchSize(1000) }
                .map { row, _ ->
                    consume(
                        row.get(0, Integer::class.java)!!.toInt(),
                        row.get(1, String::class.java)!!,
                    )
                }
                .all()
                .count()
        )

    override fun shortTransaction(id: Int): Mono<Long> =
        tx.transactional(
            client
                .sql("UPDATE bench_counters SET n = n + 1 WHERE id = :id")
                .bind("id", id)
                .fetch()
                .rowsUpdated()
                .then(
                    client
                        .sql("SELECT n FROM bench_counters WHERE id = :id")
                        .bind("id", id)
                        .map { row, _ -> row.get(0, java.lang.Long::class.java)!!.toLong() }
                        .one()
                )
        )

    override fun close() = Unit // the pool is the harness's
}
