package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.error.PendingRollbackException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.random.Random
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withTimeout
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

        /** The advisory lock a held COMMIT waits for on PostgreSQL (see [holdCommits]). */
        val holdLock = 4_242

        /**
         * On PostgreSQL, makes every COMMIT of a transaction that inserted lines wait at the
         * database for [holdLock] (a deferred constraint trigger takes it), so that a test holding
         * that lock holds the commit after the COMMIT has been sent. Dropped with the table.
         */
        suspend fun holdCommits(engine: AsyncEngine) {
            engine.begin { conn ->
                conn.execute(
                    Sql.text(
                        "CREATE OR REPLACE FUNCTION orm_cancel_hold() RETURNS trigger " +
                            "LANGUAGE plpgsql AS \$\$ BEGIN " +
                            "PERFORM pg_advisory_xact_lock($holdLock); RETURN NULL; END \$\$"
                    )
                )
                conn.execute(
                    Sql.text(
                        "CREATE CONSTRAINT TRIGGER orm_cancel_hold AFTER INSERT ON " +
                            "orm_cancel_lines DEFERRABLE INITIALLY DEFERRED FOR EACH ROW " +
                            "EXECUTE FUNCTION orm_cancel_hold()"
                    )
                )
            }
        }

        /**
         * Runs [block] in a child coroutine, cancels it once its COMMIT has begun, then runs
         * [whileHeld] while that commit still runs, and lets the commit end. The commit is held
         * where the database commits: on PostgreSQL the COMMIT waits at the server for an advisory
         * lock this function holds (see [holdCommits]); on H2, whose statements run on a thread of
         * their own, the engine's commit event waits. However long the work before the commit took
         * and however slow the machine, the cancellation lands while the database commits. Fails if
         * the block ends before its COMMIT.
         */
        suspend fun cancelWhileCommitting(
            engine: AsyncEngine,
            db: TestDatabases.Db,
            block: suspend () -> Unit,
            whileHeld: suspend () -> Unit = {},
        ) {
            val committing = CompletableDeferred<Unit>()
            val release = CompletableDeferred<Unit>()
            val hold =
                object : dev.athanor.engine.EngineListener {
                    override fun onCommit(connection: dev.athanor.engine.Connection) {
                        committing.complete(Unit)
                        if (!db.isPostgres) {
                            runBlocking { withTimeoutOrNull(30_000) { release.await() } }
                        }
                    }
                }
            coroutineScope {
                val locked = CompletableDeferred<Unit>()
                val holder =
                    if (db.isPostgres) {
                        launch {
                            engine.connect { conn ->
                                conn.execute(Sql.text("SELECT pg_advisory_xact_lock($holdLock)"))
                                locked.complete(Unit)
                                release.await()
                            }
                        }
                    } else {
                        locked.complete(Unit)
                        null
                    }
                locked.await()
                engine.events.add(hold)
                try {
                    // Off the test's thread, so that a commit event held on H2 never holds it.
                    val job = launch(Dispatchers.Default) { block() }
                    withTimeout(30_000) {
                        select {
                            committing.onAwait {}
                            job.onJoin {}
                        }
                    }
                    withClue("the block ended before its COMMIT began") {
                        job.isCompleted shouldBe false
                    }
                    job.cancel()
                    try {
                        whileHeld()
                    } finally {
                        release.complete(Unit)
                    }
                    // A cancelled begin block ends once its commit has: after the release.
                    job.join()
                } finally {
                    release.complete(Unit)
                    engine.events.remove(hold)
                }
                holder?.join()
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
                        if (db.isPostgres) holdCommits(engine)
                        val tag = "slow-$next"
                        val made = lines(tag)
                        val s = AsyncSession(engine)
                        s.addAll(made)
                        s.flush()
                        cancelWhileCommitting(engine, db, { s.commit() }) {
                            // A plain call cannot wait: while the commit ends, it is refused,
                            // named. (Until the cancellation has reached the commit, which runs
                            // on another thread, the call is refused as concurrent use.)
                            var refusal = ""
                            for (attempt in 1..500) {
                                refusal =
                                    shouldThrow<InvalidRequestException> {
                                            s.add(CancelLine(tag = "late"))
                                        }
                                        .message!!
                                if (!refusal.contains("busy with commit()")) break
                                delay(10)
                            }
                            refusal shouldContain "finishing commit()"
                        }
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
                    if (db.isPostgres) holdCommits(engine)
                    val made = lines("block")
                    val s = AsyncSession(engine)
                    val factory = asyncSessionmaker(engine)
                    val other = lines("factory")
                    // The block's rollback after the cancelled commit waits for the commit and
                    // then has nothing to undo: the objects stay persistent.
                    cancelWhileCommitting(
                        engine,
                        db,
                        {
                            s.begin {
                                it.addAll(made)
                                it.flush()
                            }
                        },
                    )
                    cancelWhileCommitting(
                        engine,
                        db,
                        {
                            factory.begin {
                                it.addAll(other)
                                it.flush()
                            }
                        },
                    )
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
