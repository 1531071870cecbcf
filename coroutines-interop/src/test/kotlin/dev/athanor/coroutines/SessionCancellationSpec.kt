package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.error.PendingRollbackException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.random.Random
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.withTimeoutOrNull

@Entity(table = "orm_cancel_lines")
class CancelLine(
    @Id var id: Long? = null,
    @Column(length = 20, nullable = false) var tag: String = "",
    var n: Int = 0,
)

/**
 * A session used directly (no `begin { }` around it) whose flush or commit is cancelled at a random
 * moment: once the flush has sent a statement, the session rolls back and asks for `rollback()`, as
 * after a failed flush, so that a later commit can never write the same objects twice or commit
 * half a flush. Cancelled before any statement, it goes on as if the flush had not been asked for.
 */
class SessionCancellationSpec :
    FunSpec({
        val registry = Registry()
        registry.map(CancelLine::class.java)
        // Three INSERT statements per flush (a flush sends up to 1,000 rows in one statement).
        val rows = 2_500

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun count(engine: AsyncEngine, tag: String): Long =
            engine.connect {
                it.scalar(
                    Sql.text("SELECT count(*) FROM orm_cancel_lines WHERE tag = :t"),
                    mapOf("t" to tag),
                )
            } as Long

        fun lines(tag: String) = (1..rows).map { CancelLine(tag = tag, n = it) }

        /** Holds every COMMIT for 500 ms, so that a caller can be cancelled while it runs. */
        val slowCommit =
            object : dev.athanor.engine.EngineListener {
                override fun onCommit(connection: dev.athanor.engine.Connection) {
                    Thread.sleep(500)
                }
            }

        /**
         * After a commit: every line is persistent with its own key, and the table has each once.
         */
        suspend fun checkCommitted(
            engine: AsyncEngine,
            s: AsyncSession,
            tag: String,
            made: List<CancelLine>,
        ) {
            count(engine, tag) shouldBe rows.toLong()
            made.map { it.id }.toSet().size shouldBe rows
            made.all { s.inspect(it).status() == Status.PERSISTENT } shouldBe true
        }

        eachDatabase { db ->
            test(
                "a flush cancelled at a random moment: all or nothing, and the session says which"
            ) {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    val random = Random(17)
                    val seen = mutableMapOf<String, Int>()
                    repeat(30) { i ->
                        val tag = "f$i"
                        val made = lines(tag)
                        AsyncSession(engine).use { s ->
                            s.addAll(made)
                            val flushed =
                                withTimeoutOrNull(random.nextLong(0, 40)) {
                                    s.flush()
                                    true
                                }
                            val committed =
                                try {
                                    s.commit()
                                    true
                                } catch (e: PendingRollbackException) {
                                    flushed shouldBe null
                                    e.message shouldContain "cancelled"
                                    s.rollback()
                                    false
                                }
                            seen.merge(
                                if (flushed == true) "flushed"
                                else if (committed) "cancelled before writing"
                                else "cancelled while writing",
                                1,
                                Int::plus,
                            )
                            withClue("flush $i (committed: $committed)") {
                                if (committed) {
                                    checkCommitted(engine, s, tag, made)
                                } else {
                                    count(engine, tag) shouldBe 0L
                                    made.all { s.inspect(it).status() == Status.TRANSIENT } shouldBe
                                        true
                                    // The session goes on: the same objects are written once.
                                    s.addAll(made)
                                    s.commit()
                                    checkCommitted(engine, s, tag, made)
                                }
                            }
                        }
                    }
                    awaitPoolQuiet(engine, "after the cancelled flushes")
                    println("cancelled flushes on ${db.name}: $seen")
                }
            }

            test("a commit cancelled at a random moment never writes an object twice") {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    val random = Random(23)
                    repeat(30) { i ->
                        val tag = "c$i"
                        val made = lines(tag)
                        AsyncSession(engine).use { s ->
                            s.addAll(made)
                            val done =
                                withTimeoutOrNull(random.nextLong(0, 40)) {
                                    s.commit()
                                    true
                                }
                            if (done == null) {
                                // Whatever the moment, a second commit (or the rollback the
                                // session asks for) leaves each object's row there once or not at
                                // all.
                                try {
                                    s.commit()
                                } catch (e: PendingRollbackException) {
                                    s.rollback()
                                }
                            }
                            withClue("commit $i (cancelled: ${done == null})") {
                                val n = count(engine, tag)
                                (n == 0L || n == rows.toLong()) shouldBe true
                                if (n == rows.toLong()) {
                                    made.map { it.id }.toSet().size shouldBe rows
                                }
                            }
                        }
                    }
                    awaitPoolQuiet(engine, "after the cancelled commits")
                }
            }

            /**
             * A commit whose caller is cancelled while the engine commits (a listener of the
             * engine's commit event holds it there): the commit runs to its end, and the session's
             * next call, whatever it is, waits for it and finds the transaction committed.
             */
            for (next in listOf("commit", "rollback", "get", "close")) {
                test(
                    "a commit cancelled while the database commits ends; then $next waits for it"
                ) {
                    withEngine(db, { poolSize = 2 }) { engine ->
                        fresh(engine)
                        val tag = "slow-$next"
                        val made = lines(tag)
                        val s = AsyncSession(engine)
                        s.addAll(made)
                        s.flush()
                        engine.events.add(slowCommit)
                        try {
                            withTimeoutOrNull(50) {
                                s.commit()
                                true
                            } shouldBe null
                        } finally {
                            engine.events.remove(slowCommit)
                        }
                        // A plain call cannot wait: while the commit ends, it is refused, named.
                        shouldThrow<InvalidRequestException> { s.add(CancelLine(tag = "late")) }
                            .message shouldContain "finishing commit()"
                        when (next) {
                            "commit" -> s.commit()
                            "rollback" -> s.rollback()
                            "get" -> s.get<CancelLine>(made[0].id!!)!!.tag shouldBe tag
                            "close" -> s.close()
                        }
                        count(engine, tag) shouldBe rows.toLong()
                        if (next != "close") {
                            // Committed, so the objects stay (expired) and a rollback keeps them.
                            made.all { s.inspect(it).status() == Status.PERSISTENT } shouldBe true
                            s.rollback()
                            made.all { s.inspect(it).status() == Status.PERSISTENT } shouldBe true
                            made[1].n shouldBe 2
                        }
                        s.close()
                        awaitPoolQuiet(engine, "after a commit cancelled during COMMIT")
                    }
                }
            }

            test("a begin block cancelled while the database commits has committed its objects") {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    val made = lines("block")
                    val s = AsyncSession(engine)
                    val factory = asyncSessionmaker(engine)
                    val other = lines("factory")
                    engine.events.add(slowCommit)
                    try {
                        // The block's rollback after the cancelled commit waits for the commit and
                        // then has nothing to undo: the objects stay persistent.
                        withTimeoutOrNull(50) {
                            s.begin {
                                it.addAll(made)
                                it.flush()
                            }
                        } shouldBe null
                        withTimeoutOrNull(50) {
                            factory.begin {
                                it.addAll(other)
                                it.flush()
                            }
                        } shouldBe null
                    } finally {
                        engine.events.remove(slowCommit)
                    }
                    s.inTransaction() shouldBe false
                    made.all { s.inspect(it).status() == Status.PERSISTENT } shouldBe true
                    count(engine, "block") shouldBe rows.toLong()
                    count(engine, "factory") shouldBe rows.toLong()
                    s.close()
                    awaitPoolQuiet(engine, "after begin blocks cancelled during COMMIT")
                }
            }

            test("a query or get cancelled at a random moment: the session goes on at once") {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.addAll(lines("q"))
                        s.commit()
                    }
                    val random = Random(31)
                    AsyncSession(engine).use { s ->
                        repeat(40) { i ->
                            withTimeoutOrNull(random.nextLong(0, 20)) {
                                if (i % 2 == 0) s.scalars<CancelLine>(select<CancelLine>()).all()
                                else s.get<CancelLine>(1L + i)
                            }
                            // The next call waits behind the abandoned one; it is never refused.
                            val all = s.scalars<CancelLine>(select<CancelLine>()).all()
                            all.size shouldBe rows
                            all.map { s.identityKey(it!!) }.toSet().size shouldBe rows
                        }
                        s.commit()
                    }
                    awaitPoolQuiet(engine, "after the cancelled queries")
                }
            }

            test("an autoflush cancelled while it writes leaves the session asking for rollback") {
                withEngine(db, { poolSize = 2 }) { engine ->
                    fresh(engine)
                    val random = Random(29)
                    var pending = 0
                    repeat(20) { i ->
                        val tag = "a$i"
                        val made = lines(tag)
                        AsyncSession(engine).use { s ->
                            s.addAll(made)
                            withTimeoutOrNull(random.nextLong(0, 40)) {
                                s.scalar(Sql.text("SELECT count(*) FROM orm_cancel_lines"))
                            }
                            try {
                                s.commit()
                                checkCommitted(engine, s, tag, made)
                            } catch (e: PendingRollbackException) {
                                pending++
                                (e.cause is CancellationException) shouldBe true
                                s.rollback()
                                count(engine, tag) shouldBe 0L
                            }
                        }
                    }
                    awaitPoolQuiet(engine, "after the cancelled autoflushes")
                    println("cancelled autoflushes asking for rollback on ${db.name}: $pending")
                }
            }
        }
    })
