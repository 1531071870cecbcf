package dev.athanor.coroutines

import dev.athanor.engine.EngineListener
import dev.athanor.engine.ExecuteContext
import dev.athanor.error.ArgumentException
import dev.athanor.result.Row
import dev.athanor.result.RowKeys
import dev.athanor.result.RowProcessor
import dev.athanor.sql.CustomExpression
import dev.athanor.sql.Dialect
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Expression
import dev.athanor.sql.ExpressionProxy
import dev.athanor.sql.FromClause
import dev.athanor.sql.FromSource
import dev.athanor.sql.Func
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.SqlType
import dev.athanor.sql.SqlWriter
import dev.athanor.sql.Table
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The hooks the ORM plugs into, proved with small stand-ins before the ORM uses them: a mapped
 * attribute (an [ExpressionProxy] resolved late), a mapped class (a [FromSource] with an
 * annotation), a row processor that makes objects of rows (buffered and streaming, batch by batch),
 * uniqueness by a key, statement execution options, user-defined types, and executemany with
 * RETURNING.
 */
class ExtensionPointsSpec :
    FunSpec({
        val meta = MetaData()
        val people =
            meta.table(
                "xp_people",
                column("id", Types.BIGINT).primaryKey(),
                column("name", Types.string(40)).notNull(),
                column("status", STATUS),
                column("owner", USER_ID),
            )

        /** A stand-in for a mapped class: stands for its table, selects two of its columns. */
        class PersonClass(private val table: () -> Table) : FromSource {
            override fun toFromClause(): FromClause = table()

            override fun selectedColumns(): List<Expression<*>> =
                listOf(table().c<Long>("id"), table().c<String>("name"))

            override fun annotations(): Map<String, Any> = mapOf("entity" to Person::class.java)

            override fun toString() = "Person"
        }
        val personClass = PersonClass { people }

        /** A stand-in for a generated metamodel attribute: resolves its column on first use. */
        class Attr<T : Any>(private val name: String) : ExpressionProxy<T>() {
            var resolved = 0

            override fun toExpression(): Expression<T> {
                resolved++
                return people.c(name)
            }
        }
        val personId = Attr<Long>("id")
        val personName = Attr<String>("name")

        /** The processor an ORM would install: one Person per row, batch by batch. */
        class PersonMaker : RowProcessor {
            val batches = CopyOnWriteArrayList<Int>()
            val keys: RowKeys = RowKeys.of(listOf("Person"))

            override fun keys(source: RowKeys): RowKeys = keys

            override fun process(batch: List<Row>): List<Row> {
                batches.add(batch.size)
                return batch.map { r ->
                    Row(keys, arrayOf(Person(r.get(personId)!!, r.get(personName)!!)))
                }
            }
        }

        test("a proxy and a source compile to exactly the SQL of the Core forms") {
            val orm =
                select(personClass)
                    .where(personName.eq("sandy"), personId.gt(1L))
                    .orderBy(personId.desc())
            val core =
                select(people.c<Long>("id"), people.c<String>("name"))
                    .where(people.c<String>("name").eq("sandy"), people.c<Long>("id").gt(1L))
                    .orderBy(people.c<Long>("id").desc())
            for (d in listOf(Dialect.POSTGRESQL, Dialect.H2)) {
                orm.compile(d).sql() shouldBe core.compile(d).sql()
            }
            orm.annotations() shouldBe mapOf("entity" to Person::class.java)
            orm.selectedSources() shouldContainExactly listOf<Any>(personClass)
            orm.resultColumns() shouldContainExactly core.resultColumns()
            // The annotation is part of the cache key; otherwise the two shapes are alike.
            orm.shape().key() shouldNotBe core.shape().key()
            select(personClass).where(personName.eq("a")).shape().key() shouldBe
                select(personClass).where(personName.eq("b")).shape().key()
            // Mixed with Core columns and functions in one statement.
            select(personName, Func.count(personId))
                .groupBy(personName)
                .compile(Dialect.POSTGRESQL)
                .sql() shouldBe
                "SELECT xp_people.name, count(xp_people.id) FROM xp_people GROUP BY xp_people.name"
        }

        test("insert, update and delete take a source as their target and carry its annotations") {
            val upd = Sql.update(personClass).where(personId.eq(1L)).values(mapOf("name" to "x"))
            upd.table() shouldBe people
            upd.annotations() shouldBe mapOf("entity" to Person::class.java)
            Sql.delete(personClass).annotations() shouldBe mapOf("entity" to Person::class.java)
            Sql.insert(personClass).table() shouldBe people
            val alias = people.alias("p2")
            val notATable =
                object : FromSource {
                    override fun toFromClause(): FromClause = alias
                }
            shouldThrow<ArgumentException> { Sql.update(notATable) }.message shouldContain
                "not a table"
            val broken =
                object : ExpressionProxy<String>() {
                    override fun toExpression(): Expression<String> = this
                }
            shouldThrow<ArgumentException> { select(people).where(broken.eq("x")) }
                .message shouldContain "the proxy itself"
        }

        eachDatabase { db ->
            suspend fun seeded(engine: AsyncEngine) {
                engine.begin { conn ->
                    meta.dropAll(conn)
                    meta.createAll(conn)
                    conn.execute(
                        insert(people),
                        (1L..5L).map {
                            mapOf(
                                "id" to it,
                                "name" to "p$it",
                                "status" to Status.entries[(it % 2).toInt()],
                                "owner" to UserId(it * 100),
                            )
                        },
                    )
                }
            }

            test("a custom expression writes its own SQL per dialect and runs there") {
                withEngine(db) { engine ->
                    seeded(engine)
                    val name = people.c<String>("name")
                    val id = people.c<Long>("id")
                    engine.connect { conn ->
                        conn.scalar(select(OrderedAgg(name, "+")).where(id.gt(2L))) shouldBe
                            "p3+p4+p5"
                        // Another separator: the same cached statement, another value.
                        conn.scalar(select(OrderedAgg(name, "/")).where(id.le(2L))) shouldBe "p1/p2"
                        val negated = Negate(id)
                        conn
                            .execute(select(id).where(negated.lt(-3L)).orderBy(negated.asc()))
                            .scalars<Long>()
                            .all() shouldContainExactly listOf(5L, 4L)
                        conn.execute(
                            Sql.update(people).where(id.eq(1L)).values(mapOf("id" to Negate(id)))
                        )
                        conn.scalar(select(Func.count()).where(id.lt(0L))) shouldBe 1L
                    }
                }
            }

            test("a buffered result goes through a row processor once, as one batch") {
                withEngine(db) { engine ->
                    seeded(engine)
                    engine.connect { conn ->
                        val maker = PersonMaker()
                        val rows =
                            conn.execute(select(personClass).orderBy(personId)).process(maker)
                        rows.keys() shouldBe listOf("Person")
                        rows.scalars<Person>().all().map { it!!.name } shouldBe
                            listOf("p1", "p2", "p3", "p4", "p5")
                        maker.batches shouldContainExactly listOf(5)
                        // A row is found by the proxy as well as by its column.
                        val row = conn.execute(select(personClass).where(personId.eq(3L))).one()!!
                        row.get(personName) shouldBe "p3"
                        row.get(people.c<String>("name")) shouldBe "p3"
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("a streaming result goes through a row processor batch by batch (yieldPer)") {
                withEngine(db) { engine ->
                    seeded(engine)
                    engine.connect { conn ->
                        val maker = PersonMaker()
                        val stream = conn.stream(select(personClass).orderBy(personId)).yieldPer(2)
                        val persons = stream.process(maker).scalars<Person>().all().map { it.id }
                        persons shouldBe listOf(1L, 2L, 3L, 4L, 5L)
                        maker.batches.all { it <= 2 } shouldBe true
                        maker.batches.sum() shouldBe 5
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("unique by a key strategy, buffered and streaming") {
                withEngine(db) { engine ->
                    seeded(engine)
                    engine.connect { conn ->
                        // Two persons per status; equal by status under the key.
                        val stmt = select(people).orderBy(personId)
                        conn
                            .execute(stmt)
                            .unique { it.get("status") }
                            .all()
                            .map { it!!.get("id") } shouldBe listOf(1L, 2L)
                        conn.execute(stmt).scalars<Long>().unique { it % 3 }.all() shouldBe
                            listOf(1L, 2L, 3L)
                        conn
                            .stream(stmt)
                            .unique { it.get("status") }
                            .all()
                            .map { it.get("id") } shouldBe listOf(1L, 2L)
                        // Entities that are equal by equals() stay apart under an identity key.
                        val twins = PersonMaker()
                        val persons =
                            conn
                                .execute(select(personClass).where(personId.le(2L)))
                                .process(
                                    RowProcessor.of(
                                        { twins.keys },
                                        { b ->
                                            b.map { Row(twins.keys, arrayOf(Person(0, "same"))) }
                                        },
                                    )
                                )
                        persons
                            .scalars<Person>()
                            .unique { System.identityHashCode(it) }
                            .all()
                            .size shouldBe 2
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("execution options set on a statement reach listeners, over the connection's") {
                val seen = CopyOnWriteArrayList<Any?>()
                val key = ExecutionOptions.key("populateExisting", java.lang.Boolean::class.java)
                withEngine(db) { engine ->
                    seeded(engine)
                    engine.events.add(
                        object : EngineListener {
                            override fun beforeExecute(ctx: ExecuteContext) {
                                seen.add(ctx.executionOptions().get("tenant"))
                                seen.add(ctx.executionOptions().get(key))
                            }
                        }
                    )
                    engine.connect { conn ->
                        conn.executionOptions(ExecutionOptions.DEFAULTS.with("tenant", "acme"))
                        val stmt =
                            select(personClass)
                                .executionOptions(
                                    ExecutionOptions.DEFAULTS.with(
                                        key,
                                        java.lang.Boolean.TRUE as java.lang.Boolean,
                                    )
                                )
                        stmt.getExecutionOptions().get(key) shouldBe true
                        conn.execute(stmt).all().size shouldBe 5
                    }
                    seen shouldContainExactly listOf("acme", true)
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("user-defined types: an enum by code and a value class round-trip") {
                withEngine(db) { engine ->
                    seeded(engine)
                    engine.connect { conn ->
                        val row =
                            conn
                                .execute(
                                    select(people.c<Status>("status"), people.c<UserId>("owner"))
                                        .where(people.c<UserId>("owner").eq(UserId(300)))
                                )
                                .one()!!
                        row.get(people.c<Status>("status")) shouldBe Status.ACTIVE
                        row.get(people.c<UserId>("owner")) shouldBe UserId(300)
                        // What is stored is the code and the number.
                        conn.scalar(Sql.text("SELECT status FROM xp_people WHERE id = 3")) shouldBe
                            "A"
                        conn.scalar(Sql.text("SELECT owner FROM xp_people WHERE id = 3")) shouldBe
                            300L
                        // NULL stays NULL in both directions.
                        conn.execute(
                            Sql.update(people)
                                .values(mapOf("status" to null))
                                .where(people.c<Long>("id").eq(1L))
                        )
                        conn.scalar(
                            select(people.c<Status>("status")).where(people.c<Long>("id").eq(1L))
                        ) shouldBe null
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test(
                "executemany with RETURNING sends multi-row VALUES and returns rows in input order"
            ) {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        val m = MetaData()
                        val gen =
                            m.table(
                                "xp_generated",
                                column("id", Types.BIGINT).primaryKey(),
                                column("label", Types.string(20)).notNull(),
                                column("made", Types.INTEGER).serverDefault(Sql.literalSql("7")),
                            )
                        engine.begin { conn ->
                            m.dropAll(conn)
                            m.createAll(conn)
                        }
                        // Labels in a shuffled order, so that any reordering shows.
                        val labels = (1..2345).map { "l$it" }.shuffled(java.util.Random(42))
                        val result = engine.begin { conn ->
                            conn.execute(
                                insert(gen)
                                    .returning(
                                        gen.c<Long>("id"),
                                        gen.c<String>("label"),
                                        gen.c<Int>("made"),
                                    ),
                                labels.map { mapOf("label" to it) },
                            )
                        }
                        val rows = result.all()
                        rows.map { it!!.get("label") } shouldBe labels
                        rows.map { it!!.get("made") }.toSet() shouldBe setOf(7)
                        val ids = rows.map { it!!.get(gen.c<Long>("id"))!! }
                        ids.toSet().size shouldBe 2345
                        // Generated keys are handed out in insert order.
                        ids shouldBe ids.sorted()
                        engine.begin { conn -> m.dropAll(conn) }
                    }
                }
                lines.count {
                    it.contains("[insertmanyvalues: 2345 rows, 1000 per statement]")
                } shouldBe 1
            }
        }
    })

/** An aggregate written differently per dialect, ordered by its value. */
private class OrderedAgg(value: Expression<String>, separator: String) :
    CustomExpression<String>(Types.TEXT, value, Sql.literal(separator)) {
    override fun render(out: SqlWriter) {
        if (out.dialect().isH2()) {
            out.sql("LISTAGG(").part(0).sql(", ").part(1).sql(") WITHIN GROUP (ORDER BY ")
            out.part(0).sql(")")
        } else {
            out.sql("string_agg(").part(0).sql(", ").part(1).sql(" ORDER BY ").part(0).sql(")")
        }
    }
}

/** A prefix operator as a custom expression. */
private class Negate(value: Expression<Long>) : CustomExpression<Long>(Types.BIGINT, value) {
    override fun render(out: SqlWriter) {
        out.sql("(-").part(0).sql(")")
    }
}

/** A stand-in entity. */
private data class Person(val id: Long, val name: String)

/** An enum stored by a one-letter code. */
enum class Status(val code: String) {
    INACTIVE("I"),
    ACTIVE("A");

    companion object {
        fun ofCode(code: String): Status = entries.first { it.code == code }
    }
}

/** A value class over a number. */
data class UserId(val value: Long)

private val STATUS: SqlType<Status> =
    Types.string(1).decorate(Status::class.java, Status::code, Status::ofCode)

private val USER_ID: SqlType<UserId> =
    Types.BIGINT.decorate(UserId::class.java, UserId::value, ::UserId)
