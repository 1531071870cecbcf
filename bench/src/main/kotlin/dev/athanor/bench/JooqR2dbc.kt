package dev.athanor.bench

import org.jooq.SQLDialect
import org.jooq.impl.DSL
import org.jooq.impl.DSL.field
import org.jooq.impl.DSL.name
import org.jooq.impl.DSL.table
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

/**
 * jOOQ over R2DBC (its reactive API: queries are `Publisher`s, transactions through
 * `transactionPublisher`), on the raw driver's r2dbc-pool, with plain-SQL table and field
 * references (no code generation).
 */
class JooqR2dbc(driver: DriverPool) : Competitor {
    override val name = "jOOQ (R2DBC)"
    private val ctx = DSL.using(driver.pool, SQLDialect.POSTGRES)

    private val users = table(name("bench_users"))
    private val uId = field(name("id"), Int::class.javaObjectType)
    private val uName = field(name("name"), String::class.java)
    private val uEmail = field(name("email"), String::class.java)
    private val inserts = table(name("bench_insert"))
    private val big = table(name("bench_big"))
    private val bPayload = field(name("payload"), String::class.java)
    private val counters = table(name("bench_counters"))
    private val cN = field(name("n"), Long::class.javaObjectType)

    override fun pkSelect(id: Int): Mono<User> =
        Mono.from(ctx.select(uId, uName, uEmail).from(users).where(uId.eq(id))).map { r ->
            User(r.value1(), r.value2(), r.value3())
        }

    override fun select100(offset: Int): Mono<List<User>> =
        Flux.from(ctx.select(uId, uName, uEmail).from(users).orderBy(uId).limit(100).offset(offset))
            .map { r -> User(r.value1(), r.value2(), r.value3()) }
            .collectList()

    override fun insertBatch(n: Int, base: Int): Mono<Long> =
        Mono.from(
            ctx.transactionPublisher { trx ->
                val batch =
                    trx.dsl()
                        .batch(
                            trx.dsl()
                                .insertInto(inserts, uId, uName)
                                .values(null as Int?, null as String?)
                        )
                for (i in base until base + n) batch.bind(i, "name$i")
                Flux.from(batch).reduce(0L) { a, b -> a + b }
            }
        )

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> =
        Mono.from(
            ctx.transactionPublisher { trx ->
                Flux.from(trx.dsl().select(uId, bPayload).from(big).fetchSize(1000))
                    .doOnNext { r -> consume(r.value1(), r.value2()) }
                    .count()
            }
        )

    override fun shortTransaction(id: Int): Mono<Long> =
        Mono.from(
            ctx.transactionPublisher { trx ->
                Mono.from(trx.dsl().update(counters).set(cN, cN.plus(1)).where(uId.eq(id)))
                    .then(
                        Mono.from(trx.dsl().select(cN).from(counters).where(uId.eq(id))).map {
                            it.value1()
                        }
                    )
            }
        )

    override fun close() = Unit // the pool is the harness's
}
