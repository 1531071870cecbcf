package dev.athanor.coroutines

import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs

/** A primitive field over a column that may hold NULL, and an array changed in place. */
@Entity(table = "orm_blobs")
class OrmBlob(
    @Id(generated = false) var id: Int? = null,
    var data: ByteArray? = null,
    var hits: Int = 0,
)

/** A decimal key: the database gives it back at the column's scale. */
@Entity(table = "orm_prices")
class OrmPrice(
    @Id(generated = false) var code: java.math.BigDecimal? = null,
    var label: String? = null,
    var amount: java.math.BigDecimal? = null,
    var seen: java.time.OffsetDateTime? = null,
)

/** A key that is an instant: the database may give it back at another offset. */
@Entity(table = "orm_ticks")
class OrmTick(
    @Id(generated = false) var at: java.time.OffsetDateTime? = null,
    var label: String? = null,
)

/**
 * What a loaded row leaves in the session: the object's committed values (what the flush compares
 * it with) and its identity key.
 */
class LoadedValuesSpec :
    FunSpec({
        val prices = Registry()
        prices.map(OrmPrice::class.java)
        prices.map(OrmTick::class.java)
        Registry().map(OrmBlob::class.java) // a table of its own, made by hand

        suspend fun fresh(engine: AsyncEngine) = engine.begin { conn ->
            prices.metadata().dropAll(conn)
            prices.metadata().createAll(conn)
        }

        eachDatabase { db ->
            test("a decimal key is one identity whatever its scale") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val p = OrmPrice(java.math.BigDecimal("1"), "one")
                        s.add(p)
                        s.commit()
                        val found = s.scalars<OrmPrice>(select<OrmPrice>()).all()
                        found.size shouldBe 1
                        found[0] shouldBeSameInstanceAs p
                        s.get<OrmPrice>(java.math.BigDecimal("1.00")) shouldBeSameInstanceAs p
                    }
                }
            }

            test("objects loaded by successive queries into one session keep one identity each") {
                // The session sizes its maps for each load: empty, then holding one object, ten,
                // and three hundred loaded again.
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.addAll((1..300).map { OrmPrice(java.math.BigDecimal(it), "p$it") })
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val first = s.get<OrmPrice>(java.math.BigDecimal(1))!!
                        val ten =
                            s.scalars<OrmPrice>(
                                    select<OrmPrice>()
                                        .where(OrmPrice::code le java.math.BigDecimal(10))
                                )
                                .all()
                        val all = s.scalars<OrmPrice>(select<OrmPrice>()).all()
                        val again = s.scalars<OrmPrice>(select<OrmPrice>()).all()
                        ten.size shouldBe 10
                        all.size shouldBe 300
                        all.map { it!!.code!!.toInt() }.toSet() shouldBe (1..300).toSet()
                        val byCode = all.associateBy { it!!.code!!.toInt() }
                        byCode[1] shouldBeSameInstanceAs first
                        for (t in ten) byCode[t!!.code!!.toInt()] shouldBeSameInstanceAs t
                        for (p in again) byCode[p!!.code!!.toInt()] shouldBeSameInstanceAs p
                        for (p in all) {
                            s.get<OrmPrice>(p!!.code!!) shouldBeSameInstanceAs p
                            s.inspect(p).status() shouldBe InstanceState.Status.PERSISTENT
                        }
                    }
                }
            }

            test("a decimal or a timestamp set to an equal value is not a change") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val p = OrmPrice(java.math.BigDecimal("2"), "two")
                        p.amount = java.math.BigDecimal("1.5")
                        p.seen = java.time.OffsetDateTime.parse("2026-12-04T12:00+02:00")
                        s.add(p)
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val p = s.get<OrmPrice>(java.math.BigDecimal("2"))!!
                        p.amount = java.math.BigDecimal("1.50")
                        p.seen = java.time.OffsetDateTime.parse("2026-12-04T10:00Z")
                        s.isModified(p) shouldBe false // equal values: nothing to write
                        p.amount = java.math.BigDecimal("1.51")
                        s.inspect(p).modifiedAttributes() shouldBe setOf("amount")
                        p.seen = java.time.OffsetDateTime.parse("2026-12-04T10:00:01Z")
                        s.inspect(p).modifiedAttributes() shouldBe setOf("amount", "seen")
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val p = s.get<OrmPrice>(java.math.BigDecimal("2"))!!
                        p.amount!!.compareTo(java.math.BigDecimal("1.51")) shouldBe 0
                        p.seen!!.isEqual(
                            java.time.OffsetDateTime.parse("2026-12-04T10:00:01Z")
                        ) shouldBe true
                    }
                }
            }

            test("objects selected beside columns and other objects keep the row's values") {
                // Each object's committed values are its own columns' values, wherever they
                // start in the row: an unchanged object is not a change, one changed attribute
                // is the only one written.
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(
                            OrmPrice(
                                java.math.BigDecimal("3"),
                                "three",
                                java.math.BigDecimal("7.25"),
                            )
                        )
                        s.add(
                            OrmPrice(java.math.BigDecimal("4"), "four", java.math.BigDecimal("8"))
                        )
                        s.add(OrmTick(java.time.OffsetDateTime.parse("2026-12-04T12:00Z"), "noon"))
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val rows =
                            s.execute(
                                    Sql.select(
                                            OrmPrice::label.attribute,
                                            mapper<OrmPrice>(),
                                            mapper<OrmTick>(),
                                        )
                                        .orderBy(OrmPrice::code.attribute)
                                )
                                .all()
                                .map { it!! }
                        rows.size shouldBe 2
                        rows[0][0] shouldBe "three"
                        val three = rows[0][1] as OrmPrice
                        val four = rows[1][1] as OrmPrice
                        val tick = rows[0][2] as OrmTick
                        rows[1][2] shouldBeSameInstanceAs tick
                        three.label shouldBe "three"
                        four.amount!!.compareTo(java.math.BigDecimal("8")) shouldBe 0
                        tick.label shouldBe "noon"
                        for (o in listOf(three, four, tick)) s.isModified(o) shouldBe false
                        three.label = "THREE"
                        tick.label = "twelve"
                        s.inspect(three).modifiedAttributes() shouldBe setOf("label")
                        s.isModified(four) shouldBe false
                        s.inspect(tick).modifiedAttributes() shouldBe setOf("label")
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val three = s.get<OrmPrice>(java.math.BigDecimal("3"))!!
                        three.label shouldBe "THREE"
                        three.amount!!.compareTo(java.math.BigDecimal("7.25")) shouldBe 0
                        s.get<OrmPrice>(java.math.BigDecimal("4"))!!.label shouldBe "four"
                        s.get<OrmTick>(java.time.OffsetDateTime.parse("2026-12-04T12:00Z"))!!
                            .label shouldBe "twelve"
                    }
                }
            }

            test("a timestamp key is one identity whatever its offset") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val t = OrmTick(java.time.OffsetDateTime.parse("2026-12-04T12:00+02:00"))
                        s.add(t)
                        s.commit()
                        val found = s.scalars<OrmTick>(select<OrmTick>()).all()
                        found.size shouldBe 1
                        found[0] shouldBeSameInstanceAs t
                        s.get<OrmTick>(
                            java.time.OffsetDateTime.parse("2026-12-04T10:00Z")
                        ) shouldBeSameInstanceAs t
                        s.get<OrmTick>(
                            java.time.OffsetDateTime.parse("2026-12-04T10:00+01:00")
                        ) shouldBe null
                    }
                }
            }

            test("a loaded object's committed values: a NULL under a primitive, a changed array") {
                // The table is made by hand: the mapping would make the primitive's column NOT
                // NULL.
                withEngine(db) { engine ->
                    val bytes = if (db.isPostgres) "BYTEA" else "VARBINARY"
                    engine.begin { c ->
                        c.execDriverSql("DROP TABLE IF EXISTS orm_blobs")
                        c.execDriverSql(
                            "CREATE TABLE orm_blobs (id INT PRIMARY KEY, data $bytes, hits INT)"
                        )
                        c.execDriverSql("INSERT INTO orm_blobs VALUES (1, NULL, NULL)")
                    }
                    engine.begin { c ->
                        c.execute(
                            Sql.text("UPDATE orm_blobs SET data = :d WHERE id = 1"),
                            mapOf("d" to byteArrayOf(1, 2, 3)),
                        )
                    }
                    AsyncSession(engine).use { s ->
                        val b = s.get<OrmBlob>(1)!!
                        b.hits shouldBe 0 // the NULL leaves the field at its default
                        s.isModified(b) shouldBe false
                        b.data!![0] = 9 // changed in place: still a change to flush
                        s.isModified(b) shouldBe true
                        s.inspect(b).modifiedAttributes() shouldBe setOf("data")
                        s.commit()
                    }
                    engine.connect { c ->
                        val row =
                            c.execute(Sql.text("SELECT data, hits FROM orm_blobs WHERE id = 1"))
                                .one()!!
                        (row[0] as ByteArray).toList() shouldBe listOf<Byte>(9, 2, 3)
                        row[1] shouldBe null // only data was written
                    }
                    engine.begin { c -> c.execDriverSql("DROP TABLE orm_blobs") }
                }
            }
        }
    })
