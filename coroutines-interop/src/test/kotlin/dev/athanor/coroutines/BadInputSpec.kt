package dev.athanor.coroutines

import dev.athanor.error.ArgumentException
import dev.athanor.error.DataException
import dev.athanor.error.DatabaseException
import dev.athanor.error.IntegrityException
import dev.athanor.error.InvalidRequestException
import dev.athanor.error.OperationalException
import dev.athanor.error.ProgrammingException
import dev.athanor.error.ResourceClosedException
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.literal
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import dev.athanor.sql.Types
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.time.Duration
import kotlin.reflect.KClass
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope

/**
 * The bad-input catalogue: each case's input, the error type it must give and a word its message
 * must hold; after each, nothing is lost: the pool is quiet, no session is left in a transaction,
 * and the committed rows are intact.
 */
class BadInputSpec :
    FunSpec({
        val meta = MetaData()
        val items =
            meta.table(
                "bad_items",
                column("id", Types.INTEGER).primaryKey(),
                column("label", Types.string(50)).notNull(),
            )
        val id = items.c<Int>("id")
        val label = items.c<String>("label")

        /**
         * One case: [run] must fail with [error] (null: must succeed) and a message holding [word].
         */
        class Case(
            val name: String,
            val error: KClass<out Throwable>?,
            val word: String = "",
            val onlyPostgres: Boolean = false,
            /** The error H2 gives instead, where its driver differs. */
            val onH2: KClass<out Throwable>? = error,
            val run: suspend (AsyncEngine, TestDatabases.Db) -> Unit,
        )

        val cases =
            listOf(
                Case("malformed URL", ArgumentException::class, "URL") { _, _ ->
                    createAsyncEngine("nonsense//x")
                },
                Case("unknown PostgreSQL URL option", ArgumentException::class, "frobnicate") { _, _
                    ->
                    createAsyncEngine("postgresql://u@127.0.0.1/test?frobnicate=1")
                },
                Case("unknown H2 URL option", ArgumentException::class, "FROBNICATE") { _, _ ->
                    createAsyncEngine("h2:mem:///x?FROBNICATE=1")
                },
                Case("negative connectTimeout", ArgumentException::class, "connectTimeout") { _, db
                    ->
                    createAsyncEngine(db.url) { connectTimeout = Duration.ofSeconds(-1) }
                },
                Case("pool size 0", ArgumentException::class, "poolSize") { _, db ->
                    createAsyncEngine(db.url) { poolSize = 0 }
                },
                Case("unknown table", ProgrammingException::class, "bad_missing") { e, _ ->
                    e.connect { c -> c.execute(text("SELECT * FROM bad_missing")) }
                },
                Case("unknown column", ProgrammingException::class, "nope") { e, _ ->
                    e.connect { c -> c.execute(text("SELECT nope FROM bad_items")) }
                },
                Case("missing bind parameter", InvalidRequestException::class, "'x'") { e, _ ->
                    e.connect { c -> c.execute(text("SELECT * FROM bad_items WHERE id = :x")) }
                },
                Case("wrong value type", DatabaseException::class, "") { e, _ ->
                    e.begin { c ->
                        c.execute(
                            text("INSERT INTO bad_items (id, label) VALUES (:i, 'x')"),
                            mapOf("i" to "abc"),
                        )
                    }
                },
                Case("unique violation", IntegrityException::class, "bad_items") { e, _ ->
                    e.begin { c -> c.execute(insert(items), mapOf("id" to 1, "label" to "dup")) }
                },
                Case("not-null violation", IntegrityException::class, "") { e, _ ->
                    e.begin { c -> c.execute(insert(items), mapOf("id" to 50, "label" to null)) }
                },
                Case(
                    "too many bound parameters",
                    ArgumentException::class,
                    "65535",
                    onlyPostgres = true,
                ) { e, _ ->
                    e.connect { c -> c.execute(select(id).where(id.`in`((1..100_000).toList()))) }
                },
                Case(
                    "multi-row VALUES over the limit",
                    ArgumentException::class,
                    "65535",
                    onlyPostgres = true,
                ) { e, _ ->
                    e.begin { c ->
                        c.execute(
                            insert(items)
                                .values((1000..41_000).map { mapOf("id" to it, "label" to "v") })
                        )
                    }
                },
                Case("lone surrogate", DataException::class, "surrogate") { e, _ ->
                    e.begin { c ->
                        c.execute(insert(items), mapOf("id" to 60, "label" to "x\uD800y"))
                    }
                },
                Case("NUL byte on PostgreSQL", DataException::class, "", onlyPostgres = true) { e, _
                    ->
                    e.begin { c ->
                        c.execute(insert(items), mapOf("id" to 61, "label" to "a\u0000b"))
                    }
                },
                Case("astral characters round-trip", null) { e, _ ->
                    val s = "cat \uD83D\uDC31 and \uD834\uDD1E"
                    e.begin { c -> c.execute(insert(items), mapOf("id" to 62, "label" to s)) }
                    e.connect { c -> c.scalar(select(label).where(id.eq(62))) } shouldBe s
                    e.begin { c -> c.execute(text("DELETE FROM bad_items WHERE id = 62")) }
                },
                Case("injection through a value is stored verbatim", null) { e, _ ->
                    val evil = "x'); DROP TABLE bad_items; --"
                    e.begin { c -> c.execute(insert(items), mapOf("id" to 63, "label" to evil)) }
                    e.connect { c -> c.scalar(select(label).where(id.eq(63))) } shouldBe evil
                    e.begin { c -> c.execute(text("DELETE FROM bad_items WHERE id = 63")) }
                },
                Case("injection through a label is quoted", null) { e, _ ->
                    val evil = "x\" FROM bad_items --"
                    e.connect { c ->
                        c.execute(select(literal(1).label(evil))).one()!![evil]
                    } shouldBe 1
                },
                Case(
                    "a statement separator in an identifier",
                    null,
                    onH2 = dev.athanor.error.CompileException::class,
                ) { e, _ ->
                    // r2dbc-h2 splits SQL at every ';', so H2 refuses the name before sending.
                    val evil = "x\"; DROP TABLE bad_items; --"
                    e.connect { c ->
                        c.execute(select(literal(1).label(evil))).one()!![evil]
                    } shouldBe 1
                },
                Case("orderBy an unknown name", ArgumentException::class, "nope") { _, _ ->
                    select(items).orderBy("nope")
                },
                Case("orderBy a number", ArgumentException::class, "Integer") { _, _ ->
                    select(items).orderBy(42)
                },
                Case("empty executemany inserts nothing", null) { e, _ ->
                    e.begin { c -> c.execute(insert(items), emptyList()).rowcount() shouldBe 0L }
                },
                Case(
                    "statement on a closed connection",
                    ResourceClosedException::class,
                    "closed",
                ) { e, _ ->
                    val c = e.connect()
                    c.close()
                    c.execute(text("SELECT 1"))
                },
                Case("a connection checked out across dispose() works until closed", null) { _, db
                    ->
                    // As in SQLAlchemy: dispose() closes the idle connections; one checked out
                    // goes on and is closed when it is returned.
                    val other = createAsyncEngine(db.url) { smallPool(1) }
                    val c = other.connect()
                    c.scalar(text("SELECT 1"))
                    other.dispose()
                    try {
                        c.scalar(text("SELECT 2")) shouldBe 2
                    } finally {
                        c.close()
                    }
                    // The engine goes on with a fresh pool.
                    other.connect { k -> k.scalar(text("SELECT 3")) } shouldBe 3
                    other.dispose()
                },
                Case("two callers on one connection", InvalidRequestException::class, "one flow") {
                    e,
                    db ->
                    e.connect { c ->
                        coroutineScope {
                            val slow =
                                if (db.isPostgres) text("SELECT pg_sleep(0.2)")
                                else
                                    text(
                                        "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 3000) a, SYSTEM_RANGE(1, 1000) b"
                                    )
                            // The first caller is waiting before the second asks.
                            val a =
                                async(start = kotlinx.coroutines.CoroutineStart.UNDISPATCHED) {
                                    c.execute(slow)
                                }
                            val b = async { runCatching { c.execute(text("SELECT 1")) } }
                            a.await()
                            b.await().getOrThrow()
                        }
                    }
                },
                Case(
                    "statement while a stream is open",
                    InvalidRequestException::class,
                    "streaming",
                ) { e, db ->
                    e.connect { c ->
                        c.stream(
                            text(
                                if (db.isPostgres) "SELECT g FROM generate_series(1, 100000) g"
                                else "SELECT * FROM SYSTEM_RANGE(1, 100000)"
                            ),
                            options = dev.athanor.sql.ExecutionOptions.DEFAULTS.yieldPer(10),
                        )
                        c.execute(text("SELECT 1"))
                    }
                },
                Case(
                    "savepoint released twice",
                    InvalidRequestException::class,
                    "already committed",
                ) { e, _ ->
                    e.connect { c ->
                        val sp = c.beginNested()
                        sp.commit()
                        sp.commit()
                    }
                },
                Case(
                    "savepoint rolled back after the outer commit",
                    InvalidRequestException::class,
                    "committed",
                ) { e, _ ->
                    e.connect { c ->
                        c.begin()
                        val sp = c.beginNested()
                        c.commit()
                        sp.rollback()
                    }
                },
                Case(
                    "statement after a failed one in a transaction",
                    OperationalException::class,
                    "rollback()",
                    onlyPostgres = true,
                ) { e, _ ->
                    e.connect { c ->
                        runCatching { c.execute(text("SELECT nope FROM bad_items")) }
                        c.execute(text("SELECT 1"))
                    }
                },
            )

        eachDatabase { db ->
            val app = "athanor_bad_${System.nanoTime()}"
            for (case in cases) {
                if (case.onlyPostgres && !db.isPostgres) continue
                test("bad input: ${case.name}") {
                    withEngine(db) { checker ->
                        val outside = OutsideView(db, checker)
                        withEngine(urlWithApp(db, app), { smallPool(2) }) { engine ->
                            engine.begin { c ->
                                meta.dropAll(c)
                                meta.createAll(c)
                                c.execute(
                                    insert(items),
                                    (1..3).map { mapOf("id" to it, "label" to "row $it") },
                                )
                            }
                            val outcome = runCatching { case.run(engine, db) }
                            val e = outcome.exceptionOrNull()
                            val expected = if (db.isPostgres) case.error else case.onH2
                            if (expected == null) {
                                if (e != null) throw e
                            } else {
                                withClue("expected ${expected.simpleName}, got $e") {
                                    (e != null && expected.isInstance(e)) shouldBe true
                                }
                                if (expected == case.error)
                                    e!!.message.orEmpty() shouldContain case.word
                            }
                            // Nothing lost.
                            awaitPoolQuiet(engine, case.name)
                            outside.busySessions(app) shouldBe 0L
                            outside.scalar("SELECT count(*) FROM bad_items WHERE id <= 3") shouldBe
                                3L
                            engine.connect { c -> c.scalar(text("SELECT 1")) } shouldBe 1
                        }
                    }
                }
            }
        }
    })
