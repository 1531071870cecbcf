package dev.athanor.bench

import dev.athanor.engine.ParameterSets
import dev.athanor.java.AsyncEngine
import dev.athanor.sql.Sql.insert
import java.util.concurrent.CompletionStage
import reactor.core.publisher.Flux
import reactor.core.publisher.Mono

@Suppress("UNCHECKED_CAST")
private fun <T : Any> stage(s: () -> CompletionStage<out T?>): Mono<T> = Mono.fromCompletionStage {
    s() as CompletionStage<T>
}

/** Athanor through the Java face (`CompletionStage`), bridged to Mono only at the edge. */
class AthanorJava(private val engine: AsyncEngine, private val ownsEngine: Boolean = true) :
    Competitor {
    override val name = "athanor java"
    private val s = BenchSchema

    override fun pkSelect(id: Int): Mono<User> = stage {
        engine.connect { c ->
            c.execute(s.byId, mapOf("id" to id)).thenApply { r -> s.user(r.one()!!) }
        }
    }

    override fun select100(offset: Int): Mono<List<User>> = stage {
        engine.connect { c ->
            c.execute(s.page(offset)).thenApply { r -> r.all().map { s.user(it!!) } }
        }
    }

    override fun insertBatch(n: Int, base: Int): Mono<Long> = stage {
        val rows =
            ParameterSets.of(
                listOf("id", "name"),
                (0 until n).map { arrayOf<Any?>(base + it, "name${base + it}") },
            )
        engine.begin { c -> c.execute(insert(s.inserts), rows).thenApply { it.rowcount() } }
    }

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> = stage {
        engine.begin<Long> { c ->
            c.stream(s.bigIds).thenCompose { r ->
                Flux.from(r.publisher())
                    .doOnNext { consume(it.get(0) as Int, it.get(1) as String) }
                    .count()
                    .toFuture()
                    .thenApply { it!! }
            }
        }
    }

    override fun shortTransaction(id: Int): Mono<Long> = stage {
        engine.begin<Long> { c ->
            c.execute(s.bump, mapOf("id" to id))
                .thenCompose { c.scalar(s.readCounter, mapOf("id" to id)) }
                .thenApply { (it as Number).toLong() }
        }
    }

    override fun close() {
        if (ownsEngine) engine.dispose().toCompletableFuture().join()
    }
}
