package dev.athanor.bench

import dev.athanor.coroutines.AsyncEngine
import dev.athanor.coroutines.AsyncSession
import dev.athanor.coroutines.asc
import dev.athanor.coroutines.ge
import dev.athanor.coroutines.get
import dev.athanor.coroutines.le
import dev.athanor.coroutines.select
import dev.athanor.coroutines.selectinload
import dev.athanor.coroutines.use
import dev.athanor.engine.ParameterSets
import dev.athanor.session.Session
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql.insert
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import reactor.core.publisher.Mono

/**
 * Runs [block] as a coroutine of its own (a job, as a Ktor request handler's coroutine is), started
 * in the subscribing thread, and completes the harness's Mono with its outcome. The bridge is the
 * harness's, so it is the lightest Kotlin allows: kotlinx's `mono {}` would add a Reactor context
 * and a cancellation exception built on every completion, which a Kotlin program already in a
 * coroutine never pays (0.3 KB per primary-key select, measured 2026-12-03).
 */
private fun <T : Any> coroutine(block: suspend () -> T): Mono<T> = Mono.create { sink ->
    BRIDGE.launch(start = CoroutineStart.UNDISPATCHED) {
        val result =
            try {
                block()
            } catch (e: Throwable) {
                sink.error(e)
                return@launch
            }
        sink.success(result)
    }
}

private val BRIDGE = CoroutineScope(Dispatchers.Unconfined)

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

    init {
        UserEntity.map()
        ItemEntity.map()
        BigEntity.map()
        ParentEntity.map()
        ChildEntity.map()
    }

    private val s = BenchSchema

    override fun pkSelect(id: Int): Mono<User> = coroutine {
        engine.connect { c -> s.user(c.execute(s.byId, mapOf("id" to id)).one()!!) }
    }

    override fun select100(offset: Int): Mono<List<User>> = coroutine {
        engine.connect { c -> c.execute(s.page(offset)).all().map { s.user(it!!) } }
    }

    override fun insertBatch(n: Int, base: Int): Mono<Long> = coroutine {
        // Rows of values in one order of names: no map per row (ParameterSets).
        val rows =
            ParameterSets.of(
                listOf("id", "name"),
                (0 until n).map { arrayOf<Any?>(base + it, "name${base + it}") },
            )
        engine.begin { c -> c.execute(insert(s.inserts), rows).rowcount() }
    }

    override fun stream(consume: (Int, String) -> Unit): Mono<Long> = coroutine {
        engine.begin { c ->
            var n = 0L
            c.stream(s.bigIds).asFlow().collect {
                consume(it.get(0) as Int, it.get(1) as String)
                n++
            }
            n
        }
    }

    override fun shortTransaction(id: Int): Mono<Long> = coroutine {
        engine.begin { c ->
            c.execute(s.bump, mapOf("id" to id))
            (c.scalar(s.readCounter, mapOf("id" to id)) as Number).toLong()
        }
    }

    override val orm: Set<String> =
        if (label == "athanor kotlin")
            setOf("get", "cached", "query", "graph", "insert", "update", "stream")
        else emptySet()

    /** Streams entities with `yieldPer(1000)`, each batch released by the session once read. */
    override fun ormStream(consume: (Any) -> Unit): Mono<Long> = coroutine {
        AsyncSession(engine).use { session ->
            var n = 0L
            session
                .streamScalars<BigEntity>(select<BigEntity>(), options = RELEASING)
                .asFlow()
                .collect {
                    consume(it)
                    n++
                }
            session.commit()
            n
        }
    }

    private companion object {
        val RELEASING: ExecutionOptions =
            ExecutionOptions.DEFAULTS.yieldPer(1000).with(Session.RELEASE_STREAMED, true)
    }

    override fun ormGet(id: Int): Mono<Any> = coroutine {
        AsyncSession(engine).use { it.get<UserEntity>(id)!! }
    }

    /** One session holding every user, loaded on first use: each get is an identity-map hit. */
    private val holder: AsyncSession by lazy {
        runBlocking {
            val session = AsyncSession(engine, expireOnCommit = false)
            session.scalars<UserEntity>(select<UserEntity>()).all()
            // Ends the read transaction; with expireOnCommit off the objects stay current.
            session.commit()
            check(session.inspect(session.get<UserEntity>(1)!!).isExpired.not())
            session
        }
    }

    override fun ormGetCached(id: Int): Mono<Any> = coroutine { holder.get<UserEntity>(id)!! }

    override fun ormQuery100(offset: Int): Mono<List<Any>> = coroutine {
        AsyncSession(engine).use { session ->
            session
                .scalars<UserEntity>(
                    select<UserEntity>().orderBy(UserEntity::id.asc()).limit(100).offset(offset)
                )
                .all()
                .map { it!! }
        }
    }

    /**
     * The parents with `selectinload(ParentEntity::children)`: two statements, the parents, then
     * the children whose parent key is one of theirs, each parent's list filled in by the session.
     */
    override fun ormGraph(from: Int): Mono<List<Any>> = coroutine {
        AsyncSession(engine).use { session ->
            val parents =
                session
                    .scalars<ParentEntity>(
                        select<ParentEntity>()
                            .where(ParentEntity::id.ge(from), ParentEntity::id.le(from + 99))
                            .orderBy(ParentEntity::id.asc())
                            .options(selectinload(ParentEntity::children))
                    )
                    .all()
            checkGraph(parents.map { it!!.children.size })
            parents as List<Any>
        }
    }

    override fun close() {
        if (ownsEngine) runBlocking { engine.dispose() }
    }

    override fun ormInsert(n: Int, round: Int): Mono<Long> = coroutine {
        AsyncSession(engine).use { session ->
            session.addAll((0 until n).map { ItemEntity(name = "item$round.$it") })
            session.commit()
        }
        n.toLong()
    }

    override fun ormUpdate1k(from: Int, round: Int): Mono<Long> = coroutine {
        AsyncSession(engine).use { session ->
            val users =
                session
                    .scalars<UserEntity>(
                        select<UserEntity>()
                            .where(UserEntity::id.ge(from), UserEntity::id.le(from + 999))
                            .orderBy(UserEntity::id.asc())
                    )
                    .all()
            for (u in users) u!!.name = "user${u.id}.$round"
            session.commit()
            users.size.toLong()
        }
    }
}
