package dev.athanor.coroutines

import dev.athanor.error.MultipleResultsFoundException
import dev.athanor.error.NoResultFoundException
import dev.athanor.error.ResourceClosedException
import dev.athanor.sql.Sql.bindparam
import dev.athanor.sql.Sql.delete
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import dev.athanor.sql.Sql.update
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class ResultSpec :
    FunSpec({
        val s = Schema("res")
        val id = s.users.c<Int>("id")
        val name = s.users.c<String>("name")
        val fullname = s.users.c<String>("fullname")

        suspend fun seed(engine: AsyncEngine) {
            s.reset(engine)
            engine.begin { conn ->
                conn
                    .execute(
                        insert(s.users),
                        listOf(
                            mapOf("name" to "spongebob", "fullname" to "Spongebob Squarepants"),
                            mapOf("name" to "sandy", "fullname" to "Sandy Cheeks"),
                            mapOf("name" to "patrick", "fullname" to null),
                        ),
                    )
                    .rowcount() shouldBe 3L
            }
        }

        eachDatabase { db ->
            test("rows read by position, name and column object; equality and toString") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        val row = conn.execute(select(id, name).where(name.eq("sandy"))).one()!!
                        row.get(0) shouldBe 2
                        row.get("name") shouldBe "sandy"
                        row.get(name) shouldBe "sandy"
                        row.get(id) shouldBe 2
                        row.toString() shouldBe "(2, 'sandy')"
                        row shouldBe conn.execute(select(id, name).where(name.eq("sandy"))).one()
                        row.mapping()["name"] shouldBe "sandy"
                        row.keys().names() shouldContainExactly listOf("id", "name")
                        shouldThrow<dev.athanor.error.InvalidRequestException> { row.get("nope") }
                            .message shouldContain "[id, name]"
                    }
                    s.drop(engine)
                }
            }

            test("one, oneOrNone, first, scalar and their errors") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        shouldThrow<NoResultFoundException> {
                            conn.execute(select(s.users).where(name.eq("x"))).one()
                        }
                        shouldThrow<MultipleResultsFoundException> {
                            conn.execute(select(s.users)).one()
                        }
                        shouldThrow<MultipleResultsFoundException> {
                            conn.execute(select(s.users)).oneOrNone()
                        }
                        conn.execute(select(s.users).where(name.eq("x"))).oneOrNone() shouldBe null
                        conn.execute(select(name).orderBy(name)).scalar() shouldBe "patrick"
                        conn.execute(select(name).where(name.eq("sandy"))).scalarOne() shouldBe
                            "sandy"
                        conn.execute(select(name).where(name.eq("x"))).scalarOneOrNone() shouldBe
                            null
                        val r = conn.execute(select(name).orderBy(name))
                        r.first()!!.get(0) shouldBe "patrick"
                        shouldThrow<ResourceClosedException> { r.fetchone() }
                    }
                    s.drop(engine)
                }
            }

            test(
                "fetchone, fetchmany, partitions, iteration, keys, unique, columns, mappings, freeze, merge"
            ) {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        val r = conn.execute(select(id, name).orderBy(id))
                        r.keys() shouldContainExactly listOf("id", "name")
                        r.fetchone()!!.get(name) shouldBe "spongebob"
                        r.fetchmany(5).map { it!!.get(name) } shouldContainExactly
                            listOf("sandy", "patrick")
                        r.fetchmany(5) shouldBe emptyList()

                        conn.execute(select(id).orderBy(id)).partitions(2).map { p ->
                            p.map { it!!.get(0) }
                        } shouldBe listOf(listOf(1, 2), listOf(3))
                        conn.execute(select(name).orderBy(id)).map { it.get(0) } shouldBe
                            listOf("spongebob", "sandy", "patrick")
                        conn
                            .execute(select(name).orderBy(id))
                            .columns("name")
                            .scalars<String>()
                            .all() shouldBe listOf("spongebob", "sandy", "patrick")
                        conn
                            .execute(select(id, name).orderBy(id))
                            .columns(name, id)
                            .first()
                            .toString() shouldBe "('spongebob', 1)"

                        val twice =
                            select(s.users.c<Int>("id").label("k"))
                                .selectFrom(s.users)
                                .union(select(s.users.c<Int>("id")).selectFrom(s.users))
                        conn
                            .execute(select(fullname.isNull().cast(Types.BOOLEAN)))
                            .scalars<Boolean>()
                            .unique()
                            .all()
                            .toSet() shouldBe setOf(true, false)
                        conn
                            .execute(dev.athanor.sql.Sql.unionAll(select(name), select(name)))
                            .unique()
                            .all()
                            .size shouldBe 3
                        conn.execute(twice).all().size shouldBe 3

                        val maps = conn.execute(select(id, name).orderBy(id)).mappings().all()
                        maps[0]!!["name"] shouldBe "spongebob"
                        maps[0]!!.keys.toList() shouldContainExactly listOf("id", "name")

                        val frozen = conn.execute(select(name).orderBy(id)).freeze()
                        frozen.result().scalars<String>().all() shouldBe
                            listOf("spongebob", "sandy", "patrick")
                        frozen.result().scalars<String>().all() shouldBe
                            listOf("spongebob", "sandy", "patrick")

                        val merged =
                            conn
                                .execute(select(name).where(id.eq(1)))
                                .merge(conn.execute(select(name).where(id.eq(2))))
                        merged.scalars<String>().all() shouldBe listOf("spongebob", "sandy")
                    }
                    s.drop(engine)
                }
            }

            test(
                "statement outcome: rowcount, returnsRows, insertedPrimaryKey, lastInsertedParams"
            ) {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.begin { conn ->
                        val ins = conn.execute(insert(s.users).values(mapOf("name" to "squidward")))
                        ins.returnsRows() shouldBe false
                        ins.rowcount() shouldBe 1L
                        ins.insertedPrimaryKey()!!.get("id") shouldBe 4
                        ins.lastInsertedParams() shouldBe listOf(mapOf("name" to "squidward"))

                        val ins2 = conn.execute(insert(s.users), mapOf("name" to "gary"))
                        ins2.insertedPrimaryKey()!!.get(0) shouldBe 5
                        ins2.lastInsertedParams() shouldBe listOf(mapOf("name" to "gary"))

                        val explicit =
                            conn.execute(insert(s.users), mapOf("id" to 100, "name" to "larry"))
                        explicit.insertedPrimaryKey()!!.get(0) shouldBe 100

                        val upd =
                            conn.execute(
                                update(s.users).values(mapOf("fullname" to "x")).where(id.lt(3))
                            )
                        upd.rowcount() shouldBe 2L
                        upd.returnsRows() shouldBe false

                        val many =
                            conn.execute(
                                update(s.users)
                                    .where(name.eq(bindparam("oldname", Types.string(30)))),
                                listOf(
                                    mapOf("oldname" to "gary", "fullname" to "Gary"),
                                    mapOf("oldname" to "larry", "fullname" to "Larry"),
                                ),
                            )
                        many.rowcount() shouldBe 2L

                        val del =
                            conn.execute(
                                delete(s.users).where(name.eq("larry")).returning(id, name)
                            )
                        del.returnsRows() shouldBe true
                        del.one()!!.get(name) shouldBe "larry"

                        val sel = conn.execute(select(s.users))
                        sel.returnsRows() shouldBe true

                        val txt =
                            conn.execute(
                                text("UPDATE res_users SET fullname = :f WHERE name = :n"),
                                mapOf("f" to "P", "n" to "patrick"),
                            )
                        txt.rowcount() shouldBe 1L
                    }
                    s.drop(engine)
                }
            }

            test(
                "executemany of 5,000 sets: every set's count is read, in order, and a failing " +
                    "set fails the whole statement"
            ) {
                withEngine(db) { engine ->
                    s.reset(engine)
                    val n = 5_000
                    engine.begin { conn ->
                        conn
                            .execute(insert(s.users), (1..n).map { mapOf("name" to "u$it") })
                            .rowcount() shouldBe n.toLong()
                        // Half of the sets name a user that does not exist: they count nothing.
                        val rename =
                            update(s.users).where(name.eq(bindparam("old", Types.string(30))))
                        conn
                            .execute(
                                rename,
                                (1..n).map {
                                    mapOf(
                                        "old" to if (it % 2 == 0) "u$it" else "nobody$it",
                                        "fullname" to "F$it",
                                    )
                                },
                            )
                            .rowcount() shouldBe (n / 2).toLong()
                    }
                    val clash =
                        shouldThrow<dev.athanor.error.IntegrityException> {
                            engine.begin { conn ->
                                conn.execute(
                                    update(s.users)
                                        .where(name.eq(bindparam("old", Types.string(30)))),
                                    (1..n).map {
                                        // Set 4,000 renames u4000 to v2, which set 2 made.
                                        mapOf(
                                            "old" to "u$it",
                                            "name" to if (it == 4_000) "v2" else "v$it",
                                        )
                                    },
                                )
                            }
                        }
                    clash.message shouldContain "UPDATE"
                    engine.connect { conn ->
                        // Nothing of the failed statement stayed; the first one's work did.
                        conn
                            .scalar(text("SELECT count(*) FROM res_users WHERE name LIKE 'v%'"))
                            .toString() shouldBe "0"
                        conn
                            .scalar(
                                text("SELECT count(*) FROM res_users WHERE fullname IS NOT NULL")
                            )
                            .toString() shouldBe (n / 2).toString()
                    }
                    s.drop(engine)
                }
            }

            test("scalar and scalars on the connection; execDriverSql with positional parameters") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        conn.scalar(select(name).where(id.eq(2))) shouldBe "sandy"
                        conn.scalar(select(name).where(id.eq(99))) shouldBe null
                        conn.scalars<String>(select(name).orderBy(id)).all() shouldBe
                            listOf("spongebob", "sandy", "patrick")
                        conn
                            .execDriverSql("SELECT name FROM res_users WHERE id = \$1", 3)
                            .scalar() shouldBe "patrick"
                        conn
                            .execute(
                                text("SELECT name FROM res_users WHERE id = :id").bind("id", 1)
                            )
                            .scalar() shouldBe "spongebob"
                    }
                    s.drop(engine)
                }
            }

            test("a missing bind parameter names itself and the parameters given") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        val e =
                            shouldThrow<dev.athanor.error.InvalidRequestException> {
                                conn.execute(
                                    select(s.users)
                                        .where(name.eq(bindparam("who", Types.string(30)))),
                                    mapOf("whom" to "x"),
                                )
                            }
                        e.message shouldContain "'who'"
                        e.message shouldContain "[whom]"
                    }
                    s.drop(engine)
                }
            }
        }
    })
