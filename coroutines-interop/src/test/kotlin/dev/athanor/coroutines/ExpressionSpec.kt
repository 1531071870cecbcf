package dev.athanor.coroutines

import dev.athanor.sql.Func
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.and
import dev.athanor.sql.Sql.caseWhen
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.delete
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.literalSql
import dev.athanor.sql.Sql.or
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.update
import dev.athanor.sql.Types
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import java.math.BigDecimal
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.UUID

enum class Mood {
    HAPPY,
    SAD,
}

class ExpressionSpec :
    FunSpec({
        val s = Schema("expr")
        val users = s.users
        val addresses = s.addresses
        val uid = users.c<Int>("id")
        val name = users.c<String>("name")
        val fullname = users.c<String>("fullname")
        val aUser = addresses.c<Int>("user_id")
        val email = addresses.c<String>("email")

        suspend fun seed(engine: AsyncEngine) {
            s.reset(engine)
            engine.begin { conn ->
                conn.execute(
                    insert(users)
                        .values(
                            listOf(
                                mapOf("name" to "spongebob", "fullname" to "Spongebob Squarepants"),
                                mapOf("name" to "sandy", "fullname" to "Sandy Cheeks"),
                                mapOf("name" to "patrick", "fullname" to null),
                            )
                        )
                )
                conn.execute(
                    insert(addresses),
                    listOf(
                        mapOf("user_id" to 1, "email" to "spongebob@sqlalchemy.org"),
                        mapOf("user_id" to 2, "email" to "sandy@sqlalchemy.org"),
                        mapOf("user_id" to 2, "email" to "sandy@squirrelpower.org"),
                    ),
                )
            }
        }

        eachDatabase { db ->
            test("where with comparisons, and/or/not, in, between, like, ilike, is null") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        suspend fun names(vararg w: dev.athanor.sql.Expression<Boolean>) =
                            conn.scalars<String>(select(name).where(*w).orderBy(uid)).all()
                        names(uid.gt(1)) shouldBe listOf("sandy", "patrick")
                        names(uid.ge(2), uid.le(2)) shouldBe listOf("sandy")
                        names(or(name.eq("sandy"), name.eq("patrick"))) shouldBe
                            listOf("sandy", "patrick")
                        names(and(uid.ne(1), fullname.isNotNull())) shouldBe listOf("sandy")
                        names(name.eq("sandy").not()) shouldBe listOf("spongebob", "patrick")
                        names(uid.`in`(listOf(1, 3))) shouldBe listOf("spongebob", "patrick")
                        names(uid.notIn(listOf(1, 3))) shouldBe listOf("sandy")
                        names(uid.`in`(emptyList())) shouldBe emptyList()
                        names(uid.between(2, 3)) shouldBe listOf("sandy", "patrick")
                        names(name.like("s%")) shouldBe listOf("spongebob", "sandy")
                        names(fullname.ilike("%CHEEKS")) shouldBe listOf("sandy")
                        names(fullname.isNull()) shouldBe listOf("patrick")
                        names(fullname.eq(null)) shouldBe listOf("patrick")
                        names(uid.plus(1).eq(3)) shouldBe listOf("sandy")
                    }
                    s.drop(engine)
                }
            }

            test(
                "joins, outer joins, aliases, group by, having, order by nulls, limit, offset, distinct"
            ) {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        conn
                            .execute(
                                select(name, email).join(addresses, aUser.eq(uid)).orderBy(email)
                            )
                            .all()
                            .map { it!!.get(email) } shouldBe
                            listOf(
                                "sandy@sqlalchemy.org",
                                "sandy@squirrelpower.org",
                                "spongebob@sqlalchemy.org",
                            )

                        val n = Func.count(email).label("n")
                        conn
                            .execute(
                                select(name, n)
                                    .outerJoin(addresses, aUser.eq(uid))
                                    .groupBy(name)
                                    .orderBy(n.desc(), name.asc())
                            )
                            .all()
                            .map { "${it!!.get(name)}=${it.get(n)}" } shouldBe
                            listOf("sandy=2", "spongebob=1", "patrick=0")

                        conn
                            .scalars<String>(
                                select(name)
                                    .join(addresses, aUser.eq(uid))
                                    .groupBy(name)
                                    .having(Func.count(email).gt(1L))
                            )
                            .all() shouldBe listOf("sandy")

                        conn
                            .scalars<String>(select(fullname).orderBy(fullname.asc().nullsFirst()))
                            .all()
                            .first() shouldBe null
                        conn
                            .scalars<String>(select(fullname).orderBy(fullname.asc().nullsLast()))
                            .all()
                            .last() shouldBe null
                        conn
                            .scalars<String>(select(name).orderBy(uid).limit(1).offset(1))
                            .all() shouldBe listOf("sandy")
                        conn.scalars<Int>(select(aUser).distinct().orderBy(aUser)).all() shouldBe
                            listOf(1, 2)

                        val u2 = users.alias("u2")
                        conn
                            .execute(
                                select(name, u2.c<String>("name"))
                                    .join(u2, u2.c<Int>("id").eq(uid.plus(1)))
                                    .orderBy(uid)
                            )
                            .all()
                            .map { "${it!!.get(0)}->${it.get(1)}" } shouldBe
                            listOf("spongebob->sandy", "sandy->patrick")
                    }
                    s.drop(engine)
                }
            }

            test("subqueries, CTEs, exists, scalar subqueries, union") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        val counts =
                            select(aUser, Func.count().label("cnt"))
                                .selectFrom(addresses)
                                .groupBy(aUser)
                                .subquery("counts")
                        conn
                            .execute(
                                select(name, counts.c<Long>("cnt"))
                                    .join(counts, counts.c<Int>("user_id").eq(uid))
                                    .orderBy(uid)
                            )
                            .all()
                            .map { "${it!!.get(0)}:${it.get(1)}" } shouldBe
                            listOf("spongebob:1", "sandy:2")

                        val cte = select(uid).where(uid.gt(1)).cte("big")
                        conn
                            .scalars<String>(
                                select(name).join(cte, cte.c<Int>("id").eq(uid)).orderBy(uid)
                            )
                            .all() shouldBe listOf("sandy", "patrick")

                        conn
                            .scalars<String>(
                                select(name)
                                    .where(select(email).where(aUser.eq(uid)).exists())
                                    .orderBy(uid)
                            )
                            .all() shouldBe listOf("spongebob", "sandy")

                        val emails =
                            select(Func.count())
                                .selectFrom(addresses)
                                .where(aUser.eq(uid))
                                .scalarSubquery<Long>()
                                .label("emails")
                        conn.execute(select(name, emails).orderBy(uid)).all().map {
                            it!!.get(emails)
                        } shouldBe listOf(1L, 2L, 0L)

                        conn
                            .scalars<Int>(
                                uid.`in`(select(aUser)).let { select(uid).where(it).orderBy(uid) }
                            )
                            .all() shouldBe listOf(1, 2)

                        conn
                            .scalars<String>(
                                select(name)
                                    .where(uid.eq(1))
                                    .union(select(name).where(uid.eq(3)))
                                    .orderBy(name)
                            )
                            .all() shouldBe listOf("patrick", "spongebob")
                    }
                    s.drop(engine)
                }
            }

            test("functions, cast, case, literals") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.connect { conn ->
                        conn.scalar(select(Func.count()).selectFrom(users)) shouldBe 3L
                        conn.scalar(select(Func.max(uid))) shouldBe 3
                        conn.scalar(select(Func.upper(name)).where(uid.eq(2))) shouldBe "SANDY"
                        conn.scalar(select(Func.coalesce(fullname, name)).where(uid.eq(3))) shouldBe
                            "patrick"
                        conn.scalar(select(uid.cast(Types.string(10))).where(uid.eq(2))) shouldBe
                            "2"
                        conn
                            .scalars<String>(
                                select(
                                        caseWhen(uid.eq(1), "one")
                                            .`when`(uid.eq(2), "two")
                                            .otherwise("many")
                                    )
                                    .orderBy(uid)
                            )
                            .all() shouldBe listOf("one", "two", "many")
                        conn.scalar(select(Func.now())).shouldBeInstanceOf<OffsetDateTime>()
                        conn.scalar(
                            select(Func.of("length", Types.INTEGER, name)).where(uid.eq(1))
                        ) shouldBe 9
                    }
                    s.drop(engine)
                }
            }

            test("insert from select, multi-row values, update and delete with returning") {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.begin { conn ->
                        conn
                            .execute(
                                insert(addresses)
                                    .fromSelect(
                                        listOf(aUser, email),
                                        select(uid, name.concat("@copy")).where(uid.eq(3)),
                                    )
                            )
                            .rowcount() shouldBe 1L
                        val r =
                            conn.execute(
                                update(users)
                                    .values(mapOf(fullname to name.concat("!")))
                                    .where(uid.eq(3))
                                    .returning(fullname)
                            )
                        r.scalarOne() shouldBe "patrick!"
                        val d = conn.execute(delete(addresses).where(aUser.eq(2)).returning(email))
                        d.scalars<String>().all().toSet() shouldBe
                            setOf("sandy@sqlalchemy.org", "sandy@squirrelpower.org")
                        val ins =
                            conn.execute(
                                insert(users).values(mapOf("name" to "gary")).returning(uid, name)
                            )
                        ins.one()!!.get(name) shouldBe "gary"
                    }
                    s.drop(engine)
                }
            }

            test(
                "types round-trip: numbers, text, boolean, decimal, dates and times, uuid, bytes, enum, defaults"
            ) {
                withEngine(db) { engine ->
                    val meta = MetaData()
                    val t =
                        meta.table(
                            "expr_types",
                            column("id", Types.BIGINT).primaryKey(),
                            column("small", Types.SMALLINT),
                            column("txt", Types.TEXT),
                            column("flag", Types.BOOLEAN),
                            column("price", Types.numeric(10, 2)),
                            column("ratio", Types.DOUBLE),
                            column("real", Types.REAL),
                            column("day", Types.DATE),
                            column("tod", Types.TIME),
                            column("ts", Types.TIMESTAMP),
                            column("tstz", Types.TIMESTAMPTZ),
                            column("uid", Types.UUID_TYPE),
                            column("data", Types.BYTES),
                            column("mood", Types.enumOf(Mood::class.java)),
                            column("status", Types.string(10)).defaultValue("new"),
                            column("created", Types.TIMESTAMPTZ).serverDefault(Func.now()),
                            column("counter", Types.INTEGER).serverDefault(literalSql("7")),
                        )
                    engine.begin { conn ->
                        meta.dropAll(conn)
                        meta.createAll(conn)
                    }
                    val u = UUID.randomUUID()
                    val row =
                        mapOf(
                            "small" to 7.toShort(),
                            "txt" to "x".repeat(5000),
                            "flag" to true,
                            "price" to BigDecimal("12.34"),
                            "ratio" to 0.5,
                            "real" to 1.5f,
                            "day" to LocalDate.of(2026, 11, 21),
                            "tod" to LocalTime.of(10, 30, 15),
                            "ts" to LocalDateTime.of(2026, 11, 21, 10, 30),
                            "tstz" to OffsetDateTime.of(2026, 11, 21, 10, 30, 0, 0, ZoneOffset.UTC),
                            "uid" to u,
                            "data" to byteArrayOf(1, 2, 3, 0, -1),
                            "mood" to Mood.SAD,
                        )
                    val pk = engine.begin { conn ->
                        conn.execute(insert(t), row).insertedPrimaryKey()!!.get(0)
                    }
                    pk shouldBe 1L
                    engine.connect { conn ->
                        val r = conn.execute(select(t)).one()!!
                        r.get("small") shouldBe 7.toShort()
                        (r.get("txt") as String).length shouldBe 5000
                        r.get("flag") shouldBe true
                        r.get("price") shouldBe BigDecimal("12.34")
                        r.get("ratio") shouldBe 0.5
                        r.get("real") shouldBe 1.5f
                        r.get("day") shouldBe LocalDate.of(2026, 11, 21)
                        r.get("tod") shouldBe LocalTime.of(10, 30, 15)
                        r.get("ts") shouldBe LocalDateTime.of(2026, 11, 21, 10, 30)
                        (r.get("tstz") as OffsetDateTime).toInstant() shouldBe
                            OffsetDateTime.of(2026, 11, 21, 10, 30, 0, 0, ZoneOffset.UTC)
                                .toInstant()
                        r.get("uid") shouldBe u
                        (r.get("data") as ByteArray).toList() shouldBe listOf<Byte>(1, 2, 3, 0, -1)
                        r.get("mood") shouldBe Mood.SAD
                        r.get("status") shouldBe "new"
                        r.get("created").shouldBeInstanceOf<OffsetDateTime>()
                        r.get("counter") shouldBe 7
                        conn.scalar(
                            select(t.c<Any>("id")).where(t.c<Mood>("mood").eq(Mood.SAD))
                        ) shouldBe 1L
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            if (db.isPostgres) {
                test("JSON on PostgreSQL") {
                    withEngine(db) { engine ->
                        val meta = MetaData()
                        val t =
                            meta.table(
                                "expr_json",
                                column("id", Types.INTEGER).primaryKey(),
                                column("doc", Types.JSON),
                            )
                        engine.begin { conn ->
                            meta.dropAll(conn)
                            meta.createAll(conn)
                            conn.execute(insert(t), mapOf("doc" to """{"a": [1, 2]}"""))
                        }
                        engine.connect { conn ->
                            conn.scalar(select(t.c<String>("doc"))) shouldBe """{"a": [1, 2]}"""
                        }
                        engine.begin { conn -> meta.dropAll(conn) }
                    }
                }
            }
        }
    })
