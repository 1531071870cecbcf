package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class TransactionSpec :
    FunSpec({
        val s = Schema("tx")

        eachDatabase { db ->
            test("engine.begin commits when the block returns") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.begin { conn -> conn.execute(insert(s.users), mapOf("name" to "jack")) }
                    countRows(engine, s.users) shouldBe 1L
                    s.drop(engine)
                }
            }

            test(
                "a connection reused at once or after a pause begins a real transaction each time"
            ) {
                // The return's ROLLBACK is not awaited: a connection handed out again at once may
                // still be leaving its last transaction (BEGIN goes as SQL then), one handed out
                // after a pause has left it (the driver's own BEGIN then). Both must begin.
                withEngine(db, { smallPool(1) }) { engine ->
                    withEngine(db) { checker ->
                        s.reset(engine)
                        for (round in 1..40) {
                            if (round % 2 == 0) kotlinx.coroutines.delay(30)
                            engine.connect { conn ->
                                conn.execute(insert(s.users), mapOf("name" to "r$round"))
                                conn.inTransaction() shouldBe true
                                withClue("round $round: the write must not be committed yet") {
                                    countRows(checker, s.users) shouldBe 0L
                                }
                            }
                        }
                        countRows(checker, s.users) shouldBe 0L
                        engine.begin { conn ->
                            conn.execute(insert(s.users), mapOf("name" to "kept"))
                        }
                        countRows(checker, s.users) shouldBe 1L
                        s.drop(engine)
                    }
                }
            }

            test("a failure inside begin rolls back; nothing half-written is visible elsewhere") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    val error =
                        shouldThrow<IllegalStateException> {
                            engine.begin { conn ->
                                conn.execute(insert(s.users), mapOf("name" to "a"))
                                conn.execute(insert(s.users), mapOf("name" to "b"))
                                // Another connection must not see the uncommitted rows.
                                countRows(engine, s.users) shouldBe 0L
                                throw IllegalStateException("boom")
                            }
                        }
                    error.message shouldBe "boom"
                    countRows(engine, s.users) shouldBe 0L
                    engine.poolStatus!!.checkedOut shouldBe 0
                    s.drop(engine)
                }
            }

            test("autobegin: the first statement begins, commit ends, close rolls back the rest") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    val conn = engine.connect()
                    conn.inTransaction() shouldBe false
                    conn.execute(insert(s.users), mapOf("name" to "kept"))
                    conn.inTransaction() shouldBe true
                    conn.commit()
                    conn.inTransaction() shouldBe false
                    conn.execute(insert(s.users), mapOf("name" to "dropped"))
                    conn.close()
                    conn.isClosed shouldBe true
                    engine.connect { c ->
                        c.scalars<String>(select(s.users.c<String>("name"))).all()
                    } shouldBe listOf("kept")
                    s.drop(engine)
                }
            }

            test(
                "a connection returned mid-transaction is at once clean for the next user of the same driver connection"
            ) {
                withEngine(db, { smallPool(1) }) { engine ->
                    s.reset(engine)
                    repeat(20) { i ->
                        // Returned without commit: its ROLLBACK is still on the wire when the next
                        // user (the only other connection of a pool of one) begins.
                        val abandoned = engine.connect()
                        abandoned.execute(insert(s.users), mapOf("name" to "abandoned$i"))
                        abandoned.close()
                        // The next user's transaction is a real one: its failure undoes its first
                        // row.
                        shouldThrow<dev.athanor.error.IntegrityException> {
                            engine.begin { conn ->
                                conn.execute(insert(s.users), mapOf("name" to "first$i"))
                                conn.execute(insert(s.users), mapOf("name" to "first$i"))
                            }
                        }
                        engine.begin { conn ->
                            conn.execute(insert(s.users), mapOf("name" to "kept$i"))
                        }
                    }
                    engine
                        .connect { c -> c.scalars<String>(select(s.users.c<String>("name"))).all() }
                        .toSet() shouldBe (0 until 20).map { "kept$it" }.toSet()
                    engine.poolStatus!!.checkedOut shouldBe 0
                    s.drop(engine)
                }
            }

            test(
                "a transaction that ran nothing ends cleanly; on PostgreSQL it sends nothing at all"
            ) {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        engine.connect { conn ->
                            val t = conn.begin()
                            conn.inTransaction() shouldBe true
                            t.commit()
                            conn.inTransaction() shouldBe false
                            conn.begin().rollback()
                            // Work after an empty transaction is in a transaction of its own.
                            conn.scalar(dev.athanor.sql.Sql.text("SELECT 1")) shouldBe 1
                            conn.inTransaction() shouldBe true
                        }
                    }
                }
                    .map { it.substringAfter("] ") }
                if (db.isPostgres) {
                    lines shouldBe listOf("BEGIN (implicit)", "SELECT 1", "ROLLBACK (on close)")
                } else {
                    lines.filter { it == "SELECT 1" }.size shouldBe 1
                }
            }

            for (scope in listOf("engine.begin", "conn.begin", "conn.beginNested")) {
                for (end in listOf("commit", "rollback")) {
                    test("$scope: a statement after an early $end inside the block is refused") {
                        withEngine(db) { engine ->
                            s.reset(engine)
                            suspend fun body(c: AsyncConnection, t: AsyncTransaction?) {
                                c.execute(insert(s.users), mapOf("id" to 1, "name" to "in"))
                                if (t != null) {
                                    if (end == "commit") t.commit() else t.rollback()
                                } else {
                                    if (end == "commit") c.commit() else c.rollback()
                                }
                                val e =
                                    shouldThrow<InvalidRequestException> {
                                        c.execute(
                                            insert(s.users),
                                            mapOf("id" to 2, "name" to "out"),
                                        )
                                    }
                                e.message shouldContain "inside the block"
                                shouldThrow<InvalidRequestException> { c.beginNested() }
                            }
                            when (scope) {
                                "engine.begin" -> engine.begin { c -> body(c, null) }
                                "conn.begin" -> engine.connect { c -> c.begin { t -> body(c, t) } }
                                else ->
                                    engine.connect { c ->
                                        c.begin {
                                            c.beginNested { sp -> body(c, sp) }
                                            // After the block the connection works again.
                                            c.execute(
                                                insert(s.users),
                                                mapOf("id" to 3, "name" to "after"),
                                            )
                                        }
                                    }
                            }
                            val names = engine.connect { c ->
                                c.scalars<String>(select(s.users.c<String>("name"))).all()
                            }
                            val expected =
                                when {
                                    scope == "conn.beginNested" && end == "commit" ->
                                        listOf("in", "after")
                                    scope == "conn.beginNested" -> listOf("after")
                                    end == "commit" -> listOf("in")
                                    else -> listOf<String>()
                                }
                            names.map { it.toString() }.sorted() shouldBe expected.sorted()
                            s.drop(engine)
                        }
                    }
                }
            }

            test("begin twice is refused with a message that points to beginNested") {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        conn.begin()
                        val e = shouldThrow<InvalidRequestException> { conn.begin() }
                        e.message shouldContain "beginNested()"
                    }
                }
            }

            test("savepoints: rolling back a nested transaction keeps the outer work") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.begin { conn ->
                        conn.execute(insert(s.users), mapOf("name" to "outer"))
                        val sp = conn.beginNested()
                        conn.inNestedTransaction() shouldBe true
                        conn.getNestedTransaction() shouldBe sp
                        sp.isNested shouldBe true
                        conn.execute(insert(s.users), mapOf("name" to "inner"))
                        sp.rollback()
                        sp.isActive shouldBe false
                        conn.inNestedTransaction() shouldBe false
                        conn.beginNested {
                            conn.execute(insert(s.users), mapOf("name" to "released"))
                        }
                        shouldThrow<IllegalArgumentException> {
                            conn.beginNested {
                                conn.execute(insert(s.users), mapOf("name" to "undone"))
                                throw IllegalArgumentException("undo")
                            }
                        }
                    }
                    engine.connect { c ->
                        c.scalars<String>(
                                select(s.users.c<String>("name")).orderBy(s.users.c<String>("name"))
                            )
                            .all()
                    } shouldBe listOf("outer", "released")
                    s.drop(engine)
                }
            }

            test("getTransaction returns the same face for the same transaction") {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        conn.getTransaction().shouldBeNull()
                        val t = conn.begin()
                        conn.getTransaction() shouldBe t
                        (conn.getTransaction() === t) shouldBe true
                        t.connection shouldBe conn
                        t.commit()
                        t.isActive shouldBe false
                        conn.getTransaction().shouldBeNull()
                    }
                }
            }

            test("AUTOCOMMIT isolation runs without a transaction") {
                withEngine(db, { isolationLevel = dev.athanor.sql.IsolationLevel.AUTOCOMMIT }) {
                    engine ->
                    s.reset(engine)
                    val conn = engine.connect()
                    conn.execute(insert(s.users), mapOf("name" to "auto"))
                    conn.inTransaction() shouldBe false
                    conn.close()
                    countRows(engine, s.users) shouldBe 1L
                    engine.connect { c ->
                        shouldThrow<InvalidRequestException> { c.beginNested() }
                            .message shouldContain "AUTOCOMMIT"
                    }
                    s.drop(engine)
                }
            }

            test("isolation level through execution options") {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        conn.executionOptions(
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.isolationLevel(
                                dev.athanor.sql.IsolationLevel.SERIALIZABLE
                            )
                        )
                        conn.begin()
                        val level =
                            if (db.isPostgres) {
                                conn.scalar(dev.athanor.sql.Sql.text("SHOW transaction_isolation"))
                            } else {
                                conn.scalar(
                                    dev.athanor.sql.Sql.text(
                                        "SELECT isolation_level FROM information_schema.sessions WHERE session_id = SESSION_ID()"
                                    )
                                )
                            }
                        level.shouldNotBeNull()
                        level.toString().lowercase() shouldContain "serializable"
                    }
                }
            }
        }
    })
