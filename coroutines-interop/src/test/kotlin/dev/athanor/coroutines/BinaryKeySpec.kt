package dev.athanor.coroutines

import dev.athanor.error.IntegrityException
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.session.SynchronizeSession
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs

/** A class keyed by a digest: its key is a `ByteArray`. */
@Entity(table = "orm_digests")
class OrmDigest(
    @Id(generated = false) var digest: ByteArray? = null,
    var name: String? = null,
)

/**
 * A binary primary key in the identity map: one object per row whatever array holds the bytes, in
 * `get`, queries, the flush (a key changed in place included) and bulk statements.
 */
class BinaryKeySpec :
    FunSpec({
        val registry = Registry()
        val digests = registry.map(OrmDigest::class.java)

        fun bytes(vararg b: Int) = ByteArray(b.size) { b[it].toByte() }

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun names(engine: AsyncEngine): Map<List<Byte>, String?> = engine.connect { c ->
            c.execute(Sql.text("SELECT digest, name FROM orm_digests")).all().associate {
                (it!![0] as ByteArray).toList() to it[1] as String?
            }
        }

        eachDatabase { db ->
            test("a binary key is one object per row, whatever array holds its bytes") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val statements = engine.recordStatements()
                    AsyncSession(engine).use { s ->
                        val d = OrmDigest(bytes(1, 2, 0xff), "a")
                        s.add(d)
                        s.commit()
                        val found = s.scalars<OrmDigest>(select<OrmDigest>()).all()
                        found.size shouldBe 1
                        found[0] shouldBeSameInstanceAs d
                        val before = statements.size
                        s.get<OrmDigest>(bytes(1, 2, 0xff)) shouldBeSameInstanceAs d
                        statements.size shouldBe before // found in the identity map
                        s.get<OrmDigest>(bytes(1, 2)) shouldBe null
                        s.identityKey(d)!!.toString() shouldBe "OrmDigest[0x0102ff]"
                    }
                    AsyncSession(engine).use { s ->
                        val first = s.scalars<OrmDigest>(select<OrmDigest>()).one()!!
                        s.scalars<OrmDigest>(select<OrmDigest>()).one() shouldBeSameInstanceAs first
                        val before = statements.size
                        s.get<OrmDigest>(bytes(1, 2, 0xff)) shouldBeSameInstanceAs first
                        statements.size shouldBe before
                        first.name = "b"
                        s.commit()
                    }
                    names(engine) shouldBe mapOf(listOf<Byte>(1, 2, -1) to "b")
                    AsyncSession(engine).use { s ->
                        s.delete(s.get<OrmDigest>(bytes(1, 2, 0xff))!!)
                        s.commit()
                    }
                    names(engine) shouldBe emptyMap()
                }
            }

            test("a binary key changed in place is a key change: the row follows it") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(OrmDigest(bytes(1, 1), "a"))
                        s.add(OrmDigest(bytes(2, 2), "b"))
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val a = s.get<OrmDigest>(bytes(1, 1))!!
                        a.digest!![1] = 9 // the key's own array, changed in place
                        s.isModified(a) shouldBe true
                        s.flush()
                        s.get<OrmDigest>(bytes(1, 9)) shouldBeSameInstanceAs a
                        s.get<OrmDigest>(bytes(1, 1)) shouldBe null // no such row any more
                        s.commit()
                    }
                    names(engine) shouldBe
                        mapOf(listOf<Byte>(1, 9) to "a", listOf<Byte>(2, 2) to "b")
                }
            }

            test("a second object with the same bytes in another array is the same row") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(OrmDigest(bytes(7), "a"))
                        s.flush()
                        s.add(OrmDigest(bytes(7), "b"))
                        shouldThrow<IntegrityException> { s.flush() }
                        s.rollback()
                    }
                    names(engine) shouldBe emptyMap()
                }
            }

            for (mode in listOf(SynchronizeSession.EVALUATE, SynchronizeSession.FETCH)) {
                test("a bulk UPDATE with synchronizeSession $mode finds objects by binary key") {
                    withEngine(db) { engine ->
                        fresh(engine)
                        AsyncSession(engine).use { s ->
                            val a = OrmDigest(bytes(1, 0x80), "a")
                            val b = OrmDigest(bytes(1, 0x7f), "b")
                            s.addAll(listOf(a, b))
                            s.flush()
                            val r =
                                s.execute(
                                    Sql.update(digests)
                                        .where(OrmDigest::digest eq bytes(1, 0x80))
                                        .values(mapOf("name" to "x")),
                                    emptyMap(),
                                    ExecutionOptions.DEFAULTS.with(
                                        Session.SYNCHRONIZE_SESSION,
                                        mode,
                                    ),
                                )
                            r.rowcount() shouldBe 1
                            a.name shouldBe "x"
                            b.name shouldBe "b"
                            s.isModified(a) shouldBe false
                            s.commit()
                        }
                        names(engine) shouldBe
                            mapOf(listOf<Byte>(1, -128) to "x", listOf<Byte>(1, 127) to "b")
                    }
                }
            }
        }
    })
