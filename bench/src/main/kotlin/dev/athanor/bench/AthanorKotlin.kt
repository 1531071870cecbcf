package dev.athanor.bench

import dev.athanor.coroutines.AsyncEngine
import dev.athanor.sql.Sql.insert
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.reactor.mono
import kotlinx.coroutines.runBlocking
import reactor.core.publisher.Mono

/**
 * Athanor through the Kotlin face (suspend functions, Flow); each operation is a coroutine started
 * unconfined, as a request handler's coroutine would be.
 */
class AthanorKotlin(
    private val engine: AsyncEngine,
    label: String = "athanor kotlin",
    private val ownsEngine: Boolean = true,
) : Competitor {
    override val name = label
    private val s = BenchSchema

    override fun pkSelect(id: Int): Mono<User> =
        mono(Dispatchers.Unconfined) {
            engine.connect { c -> s.user(c.execute(s.byId, mapOf("id" to id)).one()!!) }
        }

    override fun select100(offset: Int): Mono<List<User>> =
        mono(Dispatchers.Unconfined) {
            engine.connect { c -> c.execute(s.page(offset)).all().map { s.user(it!!) } }
        }

    override fun insertBatch(n: Int, base: Int): Mono<Long> =
        mono(Dispatchers.Unconfined) {
            val rows = (0 until n).map { mapOf("id" to base + it, "name" to "name${base + it}") }
            engine.begin { c -> c.execute(insert(s.inserts), rows).rowcount() }
        }

    override fun stream(consume: (Int) -> Unit): Mono<Long> =
        mono(Dispatchers.Unconfined) {
            engine.begin { c ->
                var n = 0L
                c.stream(s.bigIds).asFlow().collect {
                    consume(it.get(0) as Int)
                    n++
                }
                n
            }
        }

    override fun shortTransaction(id: Int): Mono<Long> =
        mono(Dispatchers.Unconfined) {
            engine.begin { c ->
                c.execute(s.bump, mapOf("id" to id))
                (c.scalar(s.readCounter, mapOf("id" to id)) as Number).toLong()
            }
        }

    override fun close() {
        if (ownsEngine) runBlocking { engine.dispose() }
    }
}
