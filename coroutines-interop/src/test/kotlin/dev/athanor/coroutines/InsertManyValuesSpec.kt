package dev.athanor.coroutines

import dev.athanor.engine.ParameterSets
import dev.athanor.error.ArgumentException
import dev.athanor.error.DataException
import dev.athanor.error.IntegrityException
import dev.athanor.error.InvalidRequestException
import dev.athanor.sql.Func
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.concurrent.atomic.AtomicInteger

/** executemany INSERTs sent as multi-row VALUES statements, a page of rows at a time. */
class InsertManyValuesSpec :
    FunSpec({
        val meta = MetaData()
        val stamps = AtomicInteger()
        val items =
            meta.table(
                "imv_items",
                column("id", Types.INTEGER).primaryKey().autoincrement(false),
                column("label", Types.string(40)),
                column("stamp", Types.INTEGER).defaultValue { stamps.incrementAndGet() },
            )

        /** Drops and creates the table (in a transaction of its own: AUTOCOMMIT runs DDL too). */
        suspend fun fresh(engine: AsyncEngine) {
            engine.connect { conn ->
                meta.dropAll(conn)
                meta.createAll(conn)
                conn.commit()
            }
        }

        /** Inserts the parameter sets in one executemany and returns their labels, in order. */
        suspend fun insertedLabels(
            engine: AsyncEngine,
            sets: List<Map<String, Any?>>,
        ): List<String?> = engine.begin { conn ->
            conn.execute(insert(items).returning(items.c<String>("label")), sets).all().map {
                it!!.get(0) as String?
            }
        }

        eachDatabase { db ->
            test(
                "2,500 parameter sets go as three statements and every row arrives, client defaults per row"
            ) {
                val lines = captureEcho {
                    withEngine(
                        db,
                        {
                            echo = true
                            hideParameters = true
                        },
                    ) { engine ->
                        fresh(engine)
                        stamps.set(0)
                        val sets =
                            (1..2500).map {
                                mapOf("id" to it, "label" to if (it % 7 == 0) null else "item $it")
                            }
                        val result = engine.begin { conn -> conn.execute(insert(items), sets) }
                        result.rowcount() shouldBe 2500L
                        engine.connect { conn ->
                            conn.scalar(select(Func.count()).selectFrom(items)) shouldBe 2500L
                            conn
                                .scalars<Int>(
                                    select(items.c<Int>("stamp")).orderBy(items.c<Int>("id"))
                                )
                                .all()
                                .toSet()
                                .size shouldBe 2500
                            conn.scalar(
                                select(items.c<String>("label")).where(items.c<Int>("id").eq(1234))
                            ) shouldBe "item 1234"
                            conn.scalar(
                                select(items.c<String>("label")).where(items.c<Int>("id").eq(700))
                            ) shouldBe null
                        }
                        engine.begin { conn -> meta.dropAll(conn) }
                    }
                }
                lines.any {
                    it.contains("[insertmanyvalues: 2500 rows, 1000 per statement]")
                } shouldBe true
            }

            test("a failure in a later page rolls the whole executemany back inside begin") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val sets =
                        (1..1500).map { mapOf("id" to it, "label" to "x") } +
                            mapOf("id" to 3, "label" to "duplicate")
                    val e =
                        shouldThrow<IntegrityException> {
                            engine.begin { conn -> conn.execute(insert(items), sets) }
                        }
                    e.message!! shouldContain "imv_items"
                    engine.connect { conn ->
                        conn.scalar(select(Func.count()).selectFrom(items))
                    } shouldBe 0L
                    engine.poolStatus!!.checkedOut shouldBe 0
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            // Each page's statement is made while the page before it runs; every value is checked
            // and converted first, so that a bad one in a late page sends nothing, even where each
            // statement would commit on its own.
            for (bad in listOf("a lone surrogate", "an expression")) {
                test("$bad in a later page stops the executemany before any page is sent") {
                    withEngine(
                        db,
                        { isolationLevel = dev.athanor.sql.IsolationLevel.AUTOCOMMIT },
                    ) { engine ->
                        fresh(engine)
                        val value: Any =
                            if (bad == "an expression") items.c<Int>("id") else "half \uD800"
                        val sets =
                            (1..2500).map {
                                mapOf("id" to it, "label" to if (it == 2200) value else "x")
                            }
                        val run: suspend () -> Unit = {
                            engine.connect { conn -> conn.execute(insert(items), sets) }
                        }
                        if (bad == "an expression") {
                            shouldThrow<InvalidRequestException> { run() }.message!! shouldContain
                                "was given an expression"
                        } else {
                            shouldThrow<DataException> { run() }.message!! shouldContain
                                "in parameter set 2199"
                        }
                        engine.connect { conn ->
                            conn.scalar(select(Func.count()).selectFrom(items))
                        } shouldBe 0L
                        engine.poolStatus!!.checkedOut shouldBe 0
                        // The connection goes on: the next executemany sends all its pages.
                        engine.connect { conn ->
                            conn
                                .execute(
                                    insert(items),
                                    (1..2500).map { mapOf("id" to it, "label" to "y") },
                                )
                                .rowcount()
                        } shouldBe 2500L
                        engine.connect { conn -> meta.dropAll(conn) }
                    }
                }
            }

            test("RETURNING across pages gives one row per parameter set, in their order") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val sets = (1..2345).map { mapOf("id" to 3000 - it, "label" to "r$it") }
                    val labels = insertedLabels(engine, sets)
                    labels shouldBe (1..2345).map { "r$it" }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("ParameterSets: rows of values in one order of names insert as maps would") {
                withEngine(db) { engine ->
                    fresh(engine)
                    stamps.set(0)
                    val sets =
                        ParameterSets.of(
                            listOf("label", "id"),
                            (1..2100).map { arrayOf<Any?>(if (it % 5 == 0) null else "p$it", it) },
                        )
                    sets.size shouldBe 2100
                    sets[3] shouldBe mapOf("label" to "p4", "id" to 4)
                    sets[4]["label"] shouldBe null
                    sets[4].containsKey("label") shouldBe true
                    sets[4].containsKey("stamp") shouldBe false
                    val labels = insertedLabels(engine, sets)
                    labels shouldBe (1..2100).map { if (it % 5 == 0) null else "p$it" }
                    engine.connect { conn ->
                        // The client default filled each set, as for maps.
                        conn.scalars<Int>(select(items.c<Int>("stamp"))).all().toSet().size shouldBe
                            2100
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("ParameterSets: a row of the wrong length or a repeated name is refused") {
                shouldThrow<ArgumentException> {
                        ParameterSets.of(
                            listOf("id", "label"),
                            listOf(arrayOf<Any?>(1, "a"), arrayOf<Any?>(2)),
                        )
                    }
                    .message shouldContain "Row 1"
                shouldThrow<ArgumentException> {
                        ParameterSets.of(listOf("id", "id"), listOf(arrayOf<Any?>(1, 2)))
                    }
                    .message shouldContain "distinct"
            }
        }
    })
