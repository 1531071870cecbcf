package dev.athanor.coroutines

import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.session.SynchronizeSession
import dev.athanor.sql.Evaluator
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Func
import dev.athanor.sql.Sql
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

@Entity(table = "orm_bulk_staff")
class Staff(
    @Id var id: Long? = null,
    @Column(length = 30, nullable = false) var name: String = "",
    @Column(length = 10) var dept: String? = null,
    var salary: Int? = null,
)

/** A value class without an order or an `equals`: the evaluator cannot compare two of them. */
class Shade(val hex: String)

@Entity(table = "orm_bulk_blobs")
class BulkBlob(
    @Id var id: Long? = null,
    var data: ByteArray? = null,
    var note: String? = null,
    var shade: Shade? = null,
)

/** ORM bulk UPDATE and DELETE through a session, with each way to synchronize it. */
class BulkDmlSpec :
    FunSpec({
        val registry =
            Registry()
                .type(
                    Shade::class.java,
                    Types.TEXT.decorate(Shade::class.java, Shade::hex, ::Shade),
                )
        val staff = registry.map(Staff::class.java)
        val blobs = registry.map(BulkBlob::class.java)

        suspend fun seeded(engine: AsyncEngine, s: AsyncSession): List<Staff> {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
            val all =
                listOf(
                    Staff(name = "ann", dept = "eng", salary = 100),
                    Staff(name = "bob", dept = "eng", salary = 90),
                    Staff(name = "cid", dept = "ops", salary = 80),
                    Staff(name = "dee", dept = null, salary = 70),
                )
            s.addAll(all)
            s.flush()
            return all
        }

        fun sync(mode: SynchronizeSession): ExecutionOptions =
            ExecutionOptions.DEFAULTS.with(Session.SYNCHRONIZE_SESSION, mode)

        suspend fun salaries(engine: AsyncEngine): List<Int> = engine.connect { c ->
            c.execute(Sql.text("SELECT salary FROM orm_bulk_staff ORDER BY name")).all().map {
                (it!![0] as Number).toInt()
            }
        }

        eachDatabase { db ->
            for (mode in
                listOf(
                    SynchronizeSession.AUTO,
                    SynchronizeSession.EVALUATE,
                    SynchronizeSession.FETCH,
                )) {
                test(
                    "update(Staff) with synchronizeSession $mode sets the new values on held objects"
                ) {
                    withEngine(db) { engine ->
                        AsyncSession(engine).use { s ->
                            val (ann, bob, cid, dee) = seeded(engine, s)
                            val r =
                                s.execute(
                                    Sql.update(staff)
                                        .where(Staff::dept eq "eng")
                                        .values(
                                            mapOf(
                                                Staff::salary.attribute to
                                                    Staff::salary.attribute.plus(10),
                                                "dept" to "core",
                                            )
                                        ),
                                    emptyMap(),
                                    sync(mode),
                                )
                            r.rowcount() shouldBe 2
                            listOf(ann.salary, bob.salary, cid.salary, dee.salary) shouldBe
                                listOf(110, 100, 80, 70)
                            listOf(ann.dept, bob.dept, cid.dept, dee.dept) shouldBe
                                listOf("core", "core", "ops", null)
                            // The new values are committed ones: nothing to flush.
                            s.dirty shouldBe emptySet()
                            s.commit()
                        }
                        salaries(engine) shouldContainExactly listOf(110, 100, 80, 70)
                    }
                }

                test("delete(Staff) with synchronizeSession $mode removes held objects") {
                    withEngine(db) { engine ->
                        AsyncSession(engine).use { s ->
                            val (ann, bob, cid, dee) = seeded(engine, s)
                            val r =
                                s.execute(
                                    Sql.delete(staff)
                                        .where(Staff::salary lt 85)
                                        .where(Staff::dept.attribute.isNotNull()),
                                    emptyMap(),
                                    sync(mode),
                                )
                            r.rowcount() shouldBe 1
                            s.inspect(cid).status() shouldBe Status.DELETED
                            (cid in s) shouldBe false
                            listOf(ann, bob, dee).all { it in s } shouldBe true
                            s.get<Staff>(cid.id!!) shouldBe null
                            // Rolled back: the deleted object comes back.
                            s.rollback()
                            s.inspect(cid).status() shouldBe Status.PERSISTENT
                        }
                        salaries(engine) shouldBe emptyList()
                    }
                }
            }

            test(
                "auto falls back to fetch for criteria it cannot evaluate; evaluate refuses them"
            ) {
                withEngine(db) { engine ->
                    AsyncSession(engine).use { s ->
                        val (ann, bob, _, _) = seeded(engine, s)
                        val criteria = Func.lower(Staff::name.attribute).eq("ann")
                        shouldThrow<Evaluator.Unevaluable> {
                                s.execute(
                                    Sql.update(staff).where(criteria).values(mapOf("salary" to 1)),
                                    emptyMap(),
                                    sync(SynchronizeSession.EVALUATE),
                                )
                            }
                            .message shouldContain "fetch"
                        ann.salary shouldBe 100 // nothing was sent
                        s.execute(
                            Sql.update(staff).where(criteria).values(mapOf("salary" to 1)),
                            emptyMap(),
                            sync(SynchronizeSession.AUTO),
                        )
                        ann.salary shouldBe 1
                        bob.salary shouldBe 90
                        s.commit()
                    }
                    salaries(engine) shouldContainExactly listOf(1, 90, 80, 70)
                }
            }

            test("fetch expires attributes set to SQL it cannot evaluate; none leaves objects") {
                withEngine(db) { engine ->
                    AsyncSession(engine).use { s ->
                        val (ann, bob, _, _) = seeded(engine, s)
                        s.execute(
                            Sql.update(staff)
                                .where(Staff::name eq "ann")
                                .values(mapOf("name" to Func.upper(Staff::name.attribute))),
                            emptyMap(),
                            sync(SynchronizeSession.AUTO),
                        )
                        s.inspect(ann).expiredAttributes() shouldContainExactly listOf("name")
                        s.get<Staff>(ann.id!!) // reaches it: reloaded
                        ann.name shouldBe "ANN"
                        s.execute(
                            Sql.update(staff)
                                .where(Staff::name eq "bob")
                                .values(mapOf("salary" to 5)),
                            emptyMap(),
                            sync(SynchronizeSession.NONE),
                        )
                        bob.salary shouldBe 90 // stale, as asked
                        s.refresh(bob)
                        bob.salary shouldBe 5
                        s.rollback()
                    }
                }
            }

            test("a bulk update autoflushes pending changes first") {
                withEngine(db) { engine ->
                    AsyncSession(engine).use { s ->
                        val (ann, _, _, _) = seeded(engine, s)
                        ann.salary = 500 // pending change, flushed before the UPDATE reads it
                        s.execute(
                            Sql.update(staff)
                                .where(Staff::salary gt 400)
                                .values(mapOf("dept" to "rich")),
                            emptyMap(),
                            sync(SynchronizeSession.FETCH),
                        )
                        ann.dept shouldBe "rich"
                        s.commit()
                    }
                }
            }

            test("insert(Staff).values(rows).returning(Staff) gives persistent objects") {
                withEngine(db) { engine ->
                    AsyncSession(engine).use { s ->
                        seeded(engine, s)
                        val made =
                            s.scalars<Staff>(
                                    Sql.insert(staff)
                                        .values(
                                            listOf(
                                                mapOf("name" to "eve", "salary" to 50),
                                                mapOf("name" to "fay", "salary" to 60),
                                            )
                                        )
                                        .returning(staff)
                                )
                                .all()
                                .map { it!! }
                        made.map { it.name } shouldBe listOf("eve", "fay")
                        made.all { it.id != null } shouldBe true
                        made.all { s.inspect(it).status() == Status.PERSISTENT } shouldBe true
                        // In the identity map: get answers with the same object, no SQL.
                        s.getLoaded(Staff::class.java, made[1].id!!) shouldBe made[1]
                        made[1].salary shouldBe 60
                        s.commit()
                    }
                    engine.connect { c ->
                        (c.scalar(Sql.text("SELECT count(*) FROM orm_bulk_staff")) as Number)
                            .toInt() shouldBe 6
                    }
                }
            }

            test("an object whose values the evaluator cannot compare is expired, not guessed at") {
                withEngine(db) { engine ->
                    AsyncSession(engine).use { s ->
                        seeded(engine, s)
                        val blob = BulkBlob(shade = Shade("#fff"), note = "old")
                        s.add(blob)
                        s.flush()
                        s.execute(
                            Sql.update(blobs)
                                .where(BulkBlob::shade eq Shade("#fff"))
                                .values(mapOf("note" to "new")),
                            emptyMap(),
                            sync(SynchronizeSession.AUTO),
                        )
                        s.inspect(blob).isExpired shouldBe true
                        blob.note shouldBe "old" // not guessed
                        s.get<BulkBlob>(blob.id!!) // reaches it: reloaded
                        blob.note shouldBe "new"
                        s.rollback()
                    }
                }
            }

            test("binary values are compared by their bytes: the object gets the new values") {
                withEngine(db) { engine ->
                    AsyncSession(engine).use { s ->
                        seeded(engine, s)
                        val blob = BulkBlob(data = byteArrayOf(1, 2), note = "old")
                        val other = BulkBlob(data = byteArrayOf(1, 2, 0), note = "old")
                        s.addAll(listOf(blob, other))
                        s.flush()
                        s.execute(
                            Sql.update(blobs)
                                .where(BulkBlob::data eq byteArrayOf(1, 2)) // another array
                                .values(mapOf("note" to "new")),
                            emptyMap(),
                            sync(SynchronizeSession.EVALUATE),
                        )
                        s.inspect(blob).isExpired shouldBe false
                        blob.note shouldBe "new"
                        other.note shouldBe "old"
                        s.rollback()
                    }
                }
            }
        }
    })
