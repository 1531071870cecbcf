package dev.athanor.coroutines

import dev.athanor.error.StaleDataException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Version
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Func
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql
import dev.athanor.sql.Sql.bindparam
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.time.OffsetDateTime
import java.time.ZoneOffset

@Entity(table = "umv_accounts")
class UmvAccount(
    @Id(generated = false) var id: Long? = null,
    @Column(length = 30) var owner: String? = null,
    var balance: BigDecimal? = null,
    @Version var version: Int? = null,
)

/**
 * executemany UPDATEs by primary key sent as `UPDATE ... FROM (VALUES ...)` on PostgreSQL
 * ([ExecutionOptions.UPDATE_MANY_VALUES], which the ORM's flush sets), and as usual elsewhere: the
 * same rows change either way, and a shape it does not cover runs as before.
 */
class UpdateManyValuesSpec :
    FunSpec({
        val meta = MetaData()
        val things =
            meta.table(
                "umv_things",
                column("a", Types.INTEGER).primaryKey().autoincrement(false),
                column("b", Types.string(10)).primaryKey(),
                column("label", Types.string(40)),
                column("amount", Types.numeric(10, 2)),
                column("seen", Types.TIMESTAMPTZ),
                column("flag", Types.BOOLEAN),
            )
        val byKey =
            Sql.update(things)
                .where(
                    things.c<Int>("a").eq(bindparam("ka", Types.INTEGER)),
                    things.c<String>("b").eq(bindparam("kb", Types.string(10))),
                )
        val manyValues = ExecutionOptions.DEFAULTS.with(ExecutionOptions.UPDATE_MANY_VALUES, true)
        val fast = byKey.executionOptions(manyValues)
        val registry = Registry()
        registry.map(UmvAccount::class.java)

        suspend fun seed(engine: AsyncEngine) {
            engine.begin { conn ->
                meta.dropAll(conn)
                meta.createAll(conn)
                conn.execute(
                    insert(things),
                    (1..1500).map {
                        mapOf("a" to it, "b" to "k${it % 3}", "label" to "old $it", "flag" to false)
                    },
                )
            }
        }

        /** Empty accounts table with [n] accounts, owners "o1".."on", balance 1.00 each. */
        suspend fun seedAccounts(engine: AsyncEngine, n: Long) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
            AsyncSession(engine).use { s ->
                s.addAll((1L..n).map { UmvAccount(it, "o$it", BigDecimal("1.00")) })
                s.commit()
            }
        }

        suspend fun labels(engine: AsyncEngine): Map<Int, String?> = engine.connect { conn ->
            conn.execute(select(things.c<Int>("a"), things.c<String>("label"))).all().associate {
                (it!![0] as Int) to (it[1] as String?)
            }
        }

        eachDatabase { db ->
            test("1,500 sets change exactly their rows, values of every type, nulls included") {
                val when0 = OffsetDateTime.of(2026, 12, 2, 10, 0, 0, 0, ZoneOffset.UTC)
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        seed(engine)
                        val sets =
                            (1..1500 step 2).map {
                                mapOf(
                                    "ka" to it,
                                    "kb" to "k${it % 3}",
                                    "label" to if (it % 5 == 0) null else "new $it",
                                    "amount" to BigDecimal("$it.25"),
                                    "seen" to when0.plusSeconds(it.toLong()),
                                    "flag" to true,
                                )
                            }
                        val r = engine.begin { conn -> conn.execute(fast, sets) }
                        r.rowcount() shouldBe 750L
                        val now = labels(engine)
                        now[1] shouldBe "new 1"
                        now[2] shouldBe "old 2"
                        now[5] shouldBe null
                        now[1499] shouldBe "new 1499"
                        engine.connect { conn ->
                            conn.scalar(
                                select(things.c<BigDecimal>("amount"))
                                    .where(things.c<Int>("a").eq(7))
                            ) shouldBe BigDecimal("7.25")
                            (conn.scalar(
                                    select(things.c<OffsetDateTime>("seen"))
                                        .where(things.c<Int>("a").eq(7))
                                ) as OffsetDateTime)
                                .toInstant() shouldBe when0.plusSeconds(7).toInstant()
                            conn.scalar(
                                select(Func.count())
                                    .selectFrom(things)
                                    .where(things.c<Boolean>("flag").eq(true))
                            ) shouldBe 750L
                        }
                        engine.begin { conn -> meta.dropAll(conn) }
                    }
                }
                val many = lines.count { it.contains("[updatemanyvalues: 750 rows") }
                many shouldBe if (db.isPostgres) 1 else 0
            }

            test("a set that names no row changes nothing and counts nothing") {
                withEngine(db) { engine ->
                    seed(engine)
                    val r = engine.begin { conn ->
                        conn.execute(
                            fast,
                            listOf(
                                mapOf("ka" to 1, "kb" to "k1", "label" to "x"),
                                mapOf("ka" to 1, "kb" to "nope", "label" to "y"),
                            ),
                        )
                    }
                    r.rowcount() shouldBe 1L
                    labels(engine)[1] shouldBe "x"
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test(
                "a value too long for its column is refused, not cut, and a key too long " +
                    "matches no row (as in a plain UPDATE)"
            ) {
                withEngine(db) { engine ->
                    seed(engine)
                    engine.begin { conn ->
                        conn.execute(
                            insert(things),
                            mapOf("a" to 9999, "b" to "abcdefghij", "label" to "ten chars"),
                        )
                    }
                    val tooLong = "x".repeat(41) // label is VARCHAR(40)
                    val e =
                        shouldThrow<dev.athanor.error.DatabaseException> {
                            engine.begin { conn ->
                                conn.execute(
                                    fast,
                                    listOf(
                                        mapOf("ka" to 1, "kb" to "k1", "label" to "fits"),
                                        mapOf("ka" to 2, "kb" to "k2", "label" to tooLong),
                                    ),
                                )
                            }
                        }
                    e.message!!.lowercase() shouldContain "too long"
                    labels(engine)[1] shouldBe "old 1" // rolled back, the set that fit too
                    labels(engine)[2] shouldBe "old 2"
                    // A key longer than the column (VARCHAR(10)) would match the row of its first
                    // ten characters if it were cut.
                    val r = engine.begin { conn ->
                        conn.execute(
                            fast,
                            listOf(
                                mapOf(
                                    "ka" to 9999,
                                    "kb" to "abcdefghijKLM",
                                    "label" to "wrong row",
                                ),
                                mapOf("ka" to 4, "kb" to "k1", "label" to "right row"),
                            ),
                        )
                    }
                    r.rowcount() shouldBe 1L
                    engine.connect { conn ->
                        conn.scalar(
                            select(things.c<String>("label"))
                                .where(things.c<String>("b").eq("abcdefghij"))
                        ) shouldBe "ten chars"
                    }
                    labels(engine)[4] shouldBe "right row"
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("a key finer than its column's scale or precision matches no row") {
                // Cast to NUMERIC(10, 2) or TIMESTAMP(0), 1.001 would become 1.00 and 10:00:00.4
                // 10:00:00: other rows than the plain UPDATE's.
                val ts0 =
                    dev.athanor.sql.SqlType.of(
                        "TIMESTAMP(0)",
                        java.time.LocalDateTime::class.java,
                    ) {
                        "TIMESTAMP(0)"
                    }
                val readingsMeta = MetaData()
                val readings =
                    readingsMeta.table(
                        "umv_readings",
                        column("k", Types.numeric(10, 2)).primaryKey(),
                        column("at", ts0).primaryKey(),
                        column("label", Types.TEXT),
                    )
                val ten = java.time.LocalDateTime.of(2026, 1, 1, 10, 0)
                withEngine(db) { engine ->
                    engine.begin { conn ->
                        readingsMeta.dropAll(conn)
                        readingsMeta.createAll(conn)
                        conn.execute(
                            insert(readings),
                            listOf(
                                mapOf("k" to BigDecimal("1.00"), "at" to ten, "label" to "a"),
                                mapOf("k" to BigDecimal("2.00"), "at" to ten, "label" to "b"),
                            ),
                        )
                    }
                    val update =
                        Sql.update(readings)
                            .where(
                                readings
                                    .c<BigDecimal>("k")
                                    .eq(bindparam("kk", Types.numeric(10, 2))),
                                readings.c<java.time.LocalDateTime>("at").eq(bindparam("ka", ts0)),
                            )
                            .executionOptions(manyValues)
                    val r = engine.begin { conn ->
                        conn.execute(
                            update,
                            listOf(
                                mapOf("kk" to BigDecimal("1.001"), "ka" to ten, "label" to "no"),
                                mapOf(
                                    "kk" to BigDecimal("2.00"),
                                    "ka" to ten.plusNanos(400_000_000),
                                    "label" to "no",
                                ),
                                mapOf("kk" to BigDecimal("2.00"), "ka" to ten, "label" to "yes"),
                            ),
                        )
                    }
                    r.rowcount() shouldBe 1L
                    engine.connect { conn ->
                        conn
                            .execute(Sql.text("SELECT label FROM umv_readings ORDER BY k"))
                            .scalars<String>()
                            .all() shouldBe listOf("a", "yes")
                    }
                    engine.begin { conn -> readingsMeta.dropAll(conn) }
                }
            }

            test("the ORM flush refuses a value too long for its column and keeps nothing") {
                withEngine(db) { engine ->
                    seedAccounts(engine, 3)
                    AsyncSession(engine).use { s ->
                        val all = s.scalars<UmvAccount>(select<UmvAccount>()).all()
                        all[0]!!.owner = "short"
                        all[1]!!.owner = "y".repeat(31) // owner is VARCHAR(30)
                        shouldThrow<dev.athanor.error.DatabaseException> { s.commit() }
                        s.rollback()
                    }
                    engine.connect { c ->
                        c.execute(Sql.text("SELECT owner FROM umv_accounts ORDER BY id"))
                            .scalars<String>()
                            .all() shouldBe listOf("o1", "o2", "o3")
                    }
                    engine.begin { conn -> registry.metadata().dropAll(conn) }
                }
            }

            test("sets that name one row twice run one by one, the last one winning") {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        seed(engine)
                        engine.begin { conn ->
                            conn.execute(
                                fast,
                                listOf(
                                    mapOf("ka" to 4, "kb" to "k1", "label" to "first"),
                                    mapOf("ka" to 4, "kb" to "k1", "label" to "second"),
                                ),
                            )
                        }
                        labels(engine)[4] shouldBe "second"
                        engine.begin { conn -> meta.dropAll(conn) }
                    }
                }
                lines.count { it.contains("updatemanyvalues") } shouldBe 0
            }

            test("a WHERE that is not the whole primary key runs as usual") {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        seed(engine)
                        val partial =
                            Sql.update(things)
                                .where(things.c<Int>("a").eq(bindparam("ka", Types.INTEGER)))
                                .executionOptions(manyValues)
                        val r = engine.begin { conn ->
                            conn.execute(
                                partial,
                                listOf(
                                    mapOf("ka" to 1, "label" to "p"),
                                    mapOf("ka" to 2, "label" to "q"),
                                ),
                            )
                        }
                        r.rowcount() shouldBe 2L
                        labels(engine)[2] shouldBe "q"
                        engine.begin { conn -> meta.dropAll(conn) }
                    }
                }
                lines.count { it.contains("updatemanyvalues") } shouldBe 0
            }

            test(
                "the ORM flush updates many objects in one statement and still finds a stale one"
            ) {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        seedAccounts(engine, 300)
                        AsyncSession(engine).use { s ->
                            val all = s.scalars<UmvAccount>(select<UmvAccount>()).all()
                            for (a in all) a!!.balance = a.balance!!.add(BigDecimal.TEN)
                            s.commit()
                        }
                        engine.connect { c ->
                            (c.scalar(Sql.text("SELECT sum(balance) FROM umv_accounts"))
                                    as BigDecimal)
                                .compareTo(BigDecimal("3300")) shouldBe 0
                            c.scalar(Sql.text("SELECT min(version) FROM umv_accounts"))
                                .toString() shouldBe "2"
                        }
                        // Another connection moves one row on: the flush of all 300 is stale.
                        AsyncSession(engine).use { s ->
                            val all = s.scalars<UmvAccount>(select<UmvAccount>()).all()
                            engine.begin { c ->
                                c.execute(
                                    Sql.text("UPDATE umv_accounts SET version = 9 WHERE id = 150")
                                )
                            }
                            for (a in all) a!!.owner = "changed"
                            val e = shouldThrow<StaleDataException> { s.commit() }
                            e.message shouldContain "UmvAccount"
                            e.message shouldContain "matched 299 row(s) where 300 were expected"
                            s.rollback()
                        }
                        engine.connect { c ->
                            c.scalar(
                                    Sql.text(
                                        "SELECT count(*) FROM umv_accounts WHERE owner = 'changed'"
                                    )
                                )
                                .toString() shouldBe "0"
                        }
                        engine.begin { conn -> registry.metadata().dropAll(conn) }
                    }
                }
                lines.count { it.contains("[updatemanyvalues: 300 rows") } shouldBe
                    if (db.isPostgres) 2 else 0
            }
        }
    })
