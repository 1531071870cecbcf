package dev.athanor.coroutines

import dev.athanor.engine.Connection
import dev.athanor.engine.EngineEvents
import dev.athanor.engine.EngineListener
import dev.athanor.engine.ExecuteContext
import dev.athanor.error.ProgrammingException
import dev.athanor.sql.Sql.text
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainInOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.concurrent.CopyOnWriteArrayList

class EventsSpec :
    FunSpec({
        class Recorder : EngineListener {
            val seen = CopyOnWriteArrayList<String>()

            override fun onConnect(driverConnection: io.r2dbc.spi.Connection) {
                seen += "connect"
            }

            override fun onCheckout(connection: Connection) {
                seen += "checkout"
            }

            override fun onCheckin(connection: Connection) {
                seen += "checkin"
            }

            override fun beforeExecute(context: ExecuteContext) {
                seen += "before:${context.sql()}"
            }

            override fun afterExecute(context: ExecuteContext) {
                seen += "after:${context.rowcount()}"
            }

            override fun onError(context: ExecuteContext) {
                seen += "error:${context.error()!!::class.simpleName}"
            }
        }

        eachDatabase { db ->
            test("engine listeners see connect, checkout, execute, error and checkin, in order") {
                withEngine(db) { engine ->
                    val rec = Recorder()
                    engine.events.add(rec)
                    engine.connect { conn -> conn.execute(text("SELECT 1")) }
                    shouldThrow<ProgrammingException> {
                        engine.connect { conn -> conn.execute(text("SELECT nope FROM nowhere")) }
                    }
                    rec.seen shouldContainInOrder
                        listOf(
                            "connect",
                            "checkout",
                            "before:SELECT 1",
                            "checkin",
                            "checkout",
                            "before:SELECT nope FROM nowhere",
                            "error:ProgrammingException",
                            "checkin",
                        )
                    withClue(rec.seen.toString()) { rec.seen.count { it == "connect" } shouldBe 1 }
                    engine.events.remove(rec)
                    engine.connect { conn -> conn.execute(text("SELECT 2")) }
                    rec.seen.none { it == "before:SELECT 2" } shouldBe true
                }
            }

            test("global listeners see every engine") {
                val rec = Recorder()
                EngineEvents.addGlobal(rec)
                try {
                    withEngine(db) { engine ->
                        engine.connect { conn -> conn.execute(text("SELECT 3")) }
                    }
                    rec.seen shouldContainInOrder listOf("checkout", "before:SELECT 3", "checkin")
                } finally {
                    EngineEvents.removeGlobal(rec)
                }
            }

            test("a listener that throws fails the statement") {
                withEngine(db) { engine ->
                    engine.events.add(
                        object : EngineListener {
                            override fun beforeExecute(context: ExecuteContext) =
                                throw IllegalStateException("vetoed")
                        }
                    )
                    shouldThrow<IllegalStateException> {
                            engine.connect { conn -> conn.execute(text("SELECT 1")) }
                        }
                        .shouldBeInstanceOf<IllegalStateException>()
                        .message shouldBe "vetoed"
                    engine.poolStatus!!.checkedOut shouldBe 0
                }
            }

            test("per-connection listeners see transaction events and are gone after close") {
                withEngine(db, { smallPool(1) }) { engine ->
                    val seen = java.util.concurrent.CopyOnWriteArrayList<String>()
                    val listener =
                        object : EngineListener {
                            override fun beforeExecute(context: ExecuteContext) {
                                seen += "exec:${context.sql()}"
                            }

                            override fun onBegin(connection: dev.athanor.engine.Connection) {
                                seen += "begin"
                            }

                            override fun onCommit(connection: dev.athanor.engine.Connection) {
                                seen += "commit"
                            }

                            override fun onRollback(connection: dev.athanor.engine.Connection) {
                                seen += "rollback"
                            }

                            override fun onSavepoint(
                                connection: dev.athanor.engine.Connection,
                                name: String,
                            ) {
                                seen += "savepoint"
                            }

                            override fun onReleaseSavepoint(
                                connection: dev.athanor.engine.Connection,
                                name: String,
                            ) {
                                seen += "release"
                            }

                            override fun onRollbackToSavepoint(
                                connection: dev.athanor.engine.Connection,
                                name: String,
                            ) {
                                seen += "rollback to"
                            }

                            override fun onCheckin(connection: dev.athanor.engine.Connection) {
                                seen += "checkin"
                            }
                        }
                    val c = engine.connect()
                    c.events.add(listener)
                    c.begin {
                        c.execute(text("SELECT 1"))
                        c.beginNested { c.execute(text("SELECT 2")) }
                        runCatching { c.beginNested { throw IllegalStateException("undo") } }
                    }
                    c.execute(text("SELECT 3"))
                    c.rollback()
                    c.execute(text("SELECT 4"))
                    c.close()
                    seen shouldBe
                        listOf(
                            "begin",
                            "exec:SELECT 1",
                            "savepoint",
                            "exec:SELECT 2",
                            "release",
                            "savepoint",
                            "rollback to",
                            "commit",
                            "begin",
                            "exec:SELECT 3",
                            "rollback",
                            "begin",
                            "exec:SELECT 4",
                            "rollback",
                            "checkin",
                        )
                    // Gone with the connection: the next user of the same driver connection
                    // is not heard.
                    seen.clear()
                    engine.connect { other -> other.execute(text("SELECT 5")) }
                    seen shouldBe emptyList()
                }
            }

            if (db.isPostgres) {
                test("a server notice reaches listeners and the statement succeeds") {
                    withEngine(db) { engine ->
                        val notices = noticesOf(engine)
                        engine.connect { c ->
                            c.execDriverSql("DROP TABLE IF EXISTS athanor_never_there")
                            c.execDriverSql("DO $$ BEGIN RAISE NOTICE 'hello from plpgsql'; END $$")
                        }
                        notices.any { "athanor_never_there" in it } shouldBe true
                        notices.any { "hello from plpgsql" in it } shouldBe true
                    }
                }

                test(
                    "notices raised per row by a trigger arrive beside the rows and counts of " +
                        "INSERT ... RETURNING, UPDATE and a failing INSERT"
                ) {
                    withEngine(db) { engine ->
                        val notices = noticesOf(engine)
                        engine.begin { c ->
                            c.execDriverSql("DROP TABLE IF EXISTS ev_noisy")
                            c.execDriverSql(
                                "CREATE TABLE ev_noisy (id SERIAL PRIMARY KEY, label TEXT NOT NULL)"
                            )
                            c.execDriverSql(
                                "CREATE OR REPLACE FUNCTION ev_noisy_say() RETURNS trigger " +
                                    "LANGUAGE plpgsql AS $$ BEGIN " +
                                    "RAISE NOTICE 'row %', NEW.label; RETURN NEW; END $$"
                            )
                            c.execDriverSql(
                                "CREATE TRIGGER ev_noisy_t BEFORE INSERT OR UPDATE ON ev_noisy " +
                                    "FOR EACH ROW EXECUTE FUNCTION ev_noisy_say()"
                            )
                        }
                        notices.clear() // the DROP ... IF EXISTS notice
                        try {
                            val labels = listOf("a", "b", "c")
                            val rows = engine.begin { c ->
                                c.execute(
                                        text(
                                            "INSERT INTO ev_noisy (label) VALUES (:label) " +
                                                "RETURNING id, label"
                                        ),
                                        labels.map { mapOf("label" to it) },
                                    )
                                    .all()
                            }
                            rows.map { it!!.get("label") } shouldBe labels
                            notices shouldBe labels.map { "row $it" }
                            notices.clear()
                            val updated = engine.begin { c ->
                                c.execute(text("UPDATE ev_noisy SET label = label || '2'"))
                                    .rowcount()
                            }
                            updated shouldBe 3L
                            notices.sorted() shouldBe listOf("row a2", "row b2", "row c2")
                            notices.clear()
                            // The notice of the row before the failure is heard, the error is
                            // the statement's, and nothing of it is kept.
                            val e =
                                shouldThrow<dev.athanor.error.IntegrityException> {
                                    engine.begin { c ->
                                        c.execute(
                                            text(
                                                "INSERT INTO ev_noisy (id, label) VALUES (:i, :l)"
                                            ),
                                            listOf(
                                                mapOf("i" to 100, "l" to "x"),
                                                mapOf("i" to 1, "l" to "dup"),
                                            ),
                                        )
                                    }
                                }
                            e.message shouldContain "ev_noisy"
                            notices shouldContainInOrder listOf("row x", "row dup")
                            engine.connect { c ->
                                c.execute(text("SELECT count(*) FROM ev_noisy")).scalar() shouldBe
                                    3L
                            }
                        } finally {
                            engine.begin { c ->
                                c.execDriverSql("DROP TABLE IF EXISTS ev_noisy")
                                c.execDriverSql("DROP FUNCTION IF EXISTS ev_noisy_say()")
                            }
                        }
                    }
                }
            }

            test(
                "execution options of the program's own reach listeners, merged call over connection over engine"
            ) {
                withEngine(db) { base ->
                    val tenant = dev.athanor.sql.ExecutionOptions.key("tenant", String::class.java)
                    val seen = java.util.concurrent.CopyOnWriteArrayList<String>()
                    base.events.add(
                        object : EngineListener {
                            override fun beforeExecute(context: ExecuteContext) {
                                val o = context.executionOptions()
                                seen += "${o.get(tenant)}/${o.get("trace")}"
                            }
                        }
                    )
                    val engine =
                        base.executionOptions(
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.with(tenant, "engine")
                                .with("trace", "t1")
                        )
                    engine.connect { c ->
                        c.execute(text("SELECT 1"))
                        c.executionOptions(
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.with(tenant, "conn")
                        )
                        c.execute(text("SELECT 1"))
                        c.execute(
                            text("SELECT 1"),
                            emptyMap(),
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.with(tenant, "call"),
                        )
                    }
                    seen shouldBe listOf("engine/t1", "conn/t1", "call/t1")
                    shouldThrow<dev.athanor.error.ArgumentException> {
                            @Suppress("UNCHECKED_CAST")
                            dev.athanor.sql.ExecutionOptions.DEFAULTS.with(
                                tenant as dev.athanor.sql.ExecutionOptions.Key<Any>,
                                42,
                            )
                        }
                        .message
                        .orEmpty() shouldContain "tenant"
                }
            }

            test("a cancellation thrown by a listener invalidates the connection") {
                withEngine(db, { smallPool(1) }) { engine ->
                    val connects = java.util.concurrent.atomic.AtomicInteger()
                    var veto = true
                    val listener =
                        object : EngineListener {
                            override fun onConnect(driverConnection: io.r2dbc.spi.Connection) {
                                connects.incrementAndGet()
                            }

                            override fun afterExecute(context: ExecuteContext) {
                                if (veto) throw java.util.concurrent.CancellationException("stop")
                            }
                        }
                    engine.events.add(listener)
                    val c = engine.connect()
                    shouldThrow<java.util.concurrent.CancellationException> {
                        c.execute(text("SELECT 1"))
                    }
                    c.isInvalidated shouldBe true
                    shouldThrow<dev.athanor.error.InvalidRequestException> {
                            c.execute(text("SELECT 1"))
                        }
                        .message
                        .orEmpty() shouldContain "invalidated"
                    c.close()
                    veto = false
                    // The next user gets a new driver connection, not the one cut short.
                    engine.connect { conn -> conn.scalar(text("SELECT 1")) } shouldBe 1
                    connects.get() shouldBe 2
                    awaitPoolQuiet(engine)
                }
            }

            test("connect and checkout listeners do IO before the connection is handed out") {
                val pg = db.name == "postgresql"
                withEngine(db) { engine ->
                    val checkouts = java.util.concurrent.atomic.AtomicInteger()
                    val listener =
                        object : EngineListener {
                            override fun onConnectAsync(
                                driverConnection: io.r2dbc.spi.Connection
                            ): org.reactivestreams.Publisher<Void> {
                                // A setting of the driver connection, as SET search_path is.
                                val sql =
                                    if (pg) "SET application_name = 'athanor_init'"
                                    else "SET @ATHANOR_INIT = 42"
                                return reactor.core.publisher.Flux.from(
                                        driverConnection.createStatement(sql).execute()
                                    )
                                    .flatMap { it.rowsUpdated }
                                    .then()
                            }

                            override fun onCheckoutAsync(
                                connection: Connection
                            ): org.reactivestreams.Publisher<Void> =
                                kotlinx.coroutines.reactor
                                    .mono {
                                        // Real waiting, awaited before the caller gets it.
                                        kotlinx.coroutines.delay(5)
                                        checkouts.incrementAndGet()
                                    }
                                    .then()
                        }
                    engine.events.add(listener)
                    val seen = engine.connect { c ->
                        c.scalar(
                            text(
                                if (pg) "SELECT current_setting('application_name')"
                                else "SELECT @ATHANOR_INIT"
                            )
                        )
                    }
                    seen.toString() shouldBe (if (pg) "athanor_init" else "42")
                    checkouts.get() shouldBe 1
                    awaitPoolQuiet(engine)
                }
            }

            test("a failing connect or checkout listener fails the connect with its error") {
                withEngine(db) { engine ->
                    var failConnect = true
                    val listener =
                        object : EngineListener {
                            override fun onConnectAsync(
                                driverConnection: io.r2dbc.spi.Connection
                            ): org.reactivestreams.Publisher<Void> =
                                if (failConnect)
                                    reactor.core.publisher.Mono.error(
                                        IllegalStateException("no tenant schema")
                                    )
                                else reactor.core.publisher.Mono.empty()

                            override fun onCheckoutAsync(
                                connection: Connection
                            ): org.reactivestreams.Publisher<Void> =
                                if (!failConnect)
                                    reactor.core.publisher.Mono.error(
                                        IllegalStateException("checkout refused")
                                    )
                                else reactor.core.publisher.Mono.empty()
                        }
                    engine.events.add(listener)
                    shouldThrow<IllegalStateException> {
                            engine.connect { c -> c.scalar(text("SELECT 1")) }
                        }
                        .message shouldBe "no tenant schema"
                    failConnect = false
                    shouldThrow<IllegalStateException> {
                            engine.connect { c -> c.scalar(text("SELECT 1")) }
                        }
                        .message shouldBe "checkout refused"
                    awaitPoolQuiet(engine)
                    engine.events.remove(listener)
                    engine.connect { c -> c.scalar(text("SELECT 1")) } shouldBe 1
                }
            }
        }
    })

/** The messages of the server notices [engine] hears from now on, as they arrive. */
private fun noticesOf(engine: AsyncEngine): MutableList<String> {
    val notices = CopyOnWriteArrayList<String>()
    engine.events.add(
        object : EngineListener {
            override fun onNotice(connection: Connection, message: String, sqlState: String?) {
                notices += message
            }
        }
    )
    return notices
}
