package dev.athanor.coroutines

import dev.athanor.error.ArgumentException
import dev.athanor.error.DataException
import dev.athanor.error.DatabaseException
import dev.athanor.error.IntegrityException
import dev.athanor.error.OperationalException
import dev.athanor.error.ProgrammingException
import dev.athanor.error.ResourceClosedException
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.net.ServerSocket

class ErrorsSpec :
    FunSpec({
        val s = Schema("err")
        val name = s.users.c<String>("name")

        test("an unknown URL scheme, a malformed URL and a bad option name the problem") {
            shouldThrow<ArgumentException> { createAsyncEngine("mysql://u:secret@h/db") }
                .message
                .let {
                    it shouldContain "mysql"
                    it shouldNotContain "secret"
                }
            shouldThrow<ArgumentException> { createAsyncEngine("postgresql://u:secret@h:port/db") }
                .message
                .let {
                    it shouldContain "'port'"
                    it shouldNotContain "secret"
                }
            shouldThrow<ArgumentException> { createAsyncEngine("postgresql://u:secret@h") }
                .message shouldContain "no database"
            shouldThrow<ArgumentException> {
                    createAsyncEngine("postgresql://u@h/db?sslmod=require")
                }
                .message shouldContain "sslmod"
            shouldThrow<ArgumentException> { createAsyncEngine("h2:mem:///x") { poolSize = 0 } }
                .message shouldContain "poolSize"
            shouldThrow<ArgumentException> {
                    asyncEngineFromConfig(
                        mapOf("db.url" to "h2:mem:///x", "db.pool_sise" to 3),
                        "db.",
                    )
                }
                .message shouldContain "pool_sise"
        }

        test(
            "a server that is not there gives an OperationalException with the URL but not the password"
        ) {
            val port = ServerSocket(0).use { it.localPort }
            withEngine(
                dev.athanor.testkit.TestDatabases.Db(
                    "postgresql",
                    "postgresql://scott:tiger@127.0.0.1:$port/test",
                )
            ) { engine ->
                val e =
                    shouldThrow<OperationalException> {
                        engine.connect { it.execute(text("SELECT 1")) }
                    }
                e.message shouldContain "127.0.0.1:$port"
                e.message shouldNotContain "tiger"
                engine.url.toString() shouldNotContain "tiger"
            }
        }

        eachDatabase { db ->
            test(
                "an unknown column or table is a ProgrammingException with the SQL; the connection stays usable"
            ) {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.connect { conn ->
                        val e =
                            shouldThrow<ProgrammingException> {
                                conn.execute(text("SELECT nope FROM err_users"))
                            }
                        e.sql() shouldBe "SELECT nope FROM err_users"
                        e.message shouldContain "nope"
                        e.cause.shouldNotBeNull()
                        conn.rollback()
                        conn.execute(select(name)).all() shouldBe emptyList()
                    }
                    s.drop(engine)
                }
            }

            test(
                "a unique violation is an IntegrityException naming the constraint; the transaction rolls back"
            ) {
                withEngine(db) { engine ->
                    s.reset(engine)
                    val e =
                        shouldThrow<IntegrityException> {
                            engine.begin { conn ->
                                conn.execute(insert(s.users), mapOf("name" to "dup"))
                                conn.execute(insert(s.users), mapOf("name" to "dup"))
                            }
                        }
                    e.constraintName().shouldNotBeNull()
                    e.parameters()!! shouldContain "dup"
                    e.message shouldContain "[SQL: INSERT INTO err_users"
                    countRows(engine, s.users) shouldBe 0L
                    engine.poolStatus!!.checkedOut shouldBe 0
                    s.drop(engine)
                }
            }

            test("NOT NULL and foreign key violations are IntegrityExceptions") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.connect { conn ->
                        shouldThrow<IntegrityException> {
                            conn.execute(insert(s.users), mapOf("fullname" to "no name"))
                        }
                        conn.rollback()
                        shouldThrow<IntegrityException> {
                            conn.execute(
                                insert(s.addresses),
                                mapOf("user_id" to 42, "email" to "x"),
                            )
                        }
                    }
                    s.drop(engine)
                }
            }

            test("a value that does not fit is a DataException") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.connect { conn ->
                        val e =
                            shouldThrow<DatabaseException> {
                                conn.execute(insert(s.users), mapOf("name" to "x".repeat(31)))
                            }
                        (e is DataException) shouldBe true
                    }
                    s.drop(engine)
                }
            }

            test("hideParameters keeps values out of errors") {
                withEngine(db, { hideParameters = true }) { engine ->
                    s.reset(engine)
                    val e =
                        shouldThrow<IntegrityException> {
                            engine.begin { conn ->
                                conn.execute(insert(s.users), mapOf("name" to "s3cret-value"))
                                conn.execute(insert(s.users), mapOf("name" to "s3cret-value"))
                            }
                        }
                    e.parameters() shouldBe null
                    e.message shouldNotContain "s3cret-value"
                    e.message shouldContain "[parameters: hidden]"
                    s.drop(engine)
                }
            }

            if (!db.isPostgres) {
                test(
                    "on H2 an identifier with ';' is refused: the driver would split the statement there"
                ) {
                    withEngine(db) { engine ->
                        s.reset(engine)
                        val meta = dev.athanor.sql.MetaData()
                        meta.table(
                            "err_x; DROP TABLE err_users",
                            dev.athanor.sql.Sql.column("id", dev.athanor.sql.Types.INTEGER)
                                .primaryKey(),
                        )
                        shouldThrow<dev.athanor.error.CompileException> {
                                engine.begin { conn -> meta.createAll(conn, false) }
                            }
                            .message shouldContain "statement separator"
                        engine.connect { conn ->
                            conn.inspector().hasTable("err_users") shouldBe true
                        }
                        s.drop(engine)
                    }
                }
            }

            test("using a closed connection is refused with the fix; a disposed engine goes on") {
                withEngine(db) { engine ->
                    val conn = engine.connect()
                    conn.close()
                    shouldThrow<ResourceClosedException> { conn.execute(text("SELECT 1")) }
                        .message shouldContain "new connection"
                    conn.close() // closing twice is fine
                    engine.connect { c -> c.scalar(text("SELECT 1")) }
                    engine.poolStatus!!.allocated shouldBe 1
                    engine.dispose()
                    // As in SQLAlchemy: dispose() empties the pool; the engine connects again.
                    engine.poolStatus!!.allocated shouldBe 0
                    engine.connect { c -> c.scalar(text("SELECT 2")) } shouldBe 2
                    engine.dispose(close = false)
                    engine.connect { c -> c.scalar(text("SELECT 3")) } shouldBe 3
                }
            }

            test("injection through values and identifiers does not change the SQL") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    val evil = "x'); DROP TABLE err_users; --"
                    engine.begin { conn -> conn.execute(insert(s.users), mapOf("name" to evil)) }
                    engine.connect { conn ->
                        conn.scalar(select(name).where(name.eq(evil))) shouldBe evil
                        conn.scalar(
                            text("SELECT name FROM err_users WHERE name = :n"),
                            mapOf("n" to evil),
                        ) shouldBe evil
                    }
                    val meta = dev.athanor.sql.MetaData()
                    val hostile =
                        if (db.isPostgres) "err_weird\"; DROP TABLE err_users; --"
                        else "err_weird\" OR 1=1 --"
                    val weird =
                        meta.table(
                            hostile,
                            dev.athanor.sql.Sql.column("select", dev.athanor.sql.Types.INTEGER)
                                .primaryKey(),
                            dev.athanor.sql.Sql.column(
                                "Mixed Case\"col",
                                dev.athanor.sql.Types.string(10),
                            ),
                        )
                    engine.begin { conn ->
                        meta.dropAll(conn) // a run stopped half-way may have left it
                        meta.createAll(conn)
                        conn.execute(insert(weird), mapOf("select" to 1, "Mixed Case\"col" to "ok"))
                    }
                    engine.connect { conn ->
                        conn.scalar(select(weird.c<String>("Mixed Case\"col"))) shouldBe "ok"
                        conn.inspector().hasTable("err_users") shouldBe true
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                    countRows(engine, s.users) shouldBe 1L
                    s.drop(engine)
                }
            }
        }
    })
