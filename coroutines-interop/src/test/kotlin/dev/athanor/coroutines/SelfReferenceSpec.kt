package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

@Entity(table = "orm_staff_tree")
class StaffNode(
    @Id(generated = false) var id: Long? = null,
    @Column(references = "orm_staff_tree.id") var managerId: Long? = null,
    @Column(length = 20, nullable = false) var name: String = "",
) {
    override fun toString(): String = "StaffNode($id)"
}

/**
 * A table that refers to itself, written by one flush: new rows after the new rows they refer to,
 * deleted rows before the rows they refer to, a cycle refused before any IO with nothing lost.
 */
class SelfReferenceSpec :
    FunSpec({
        val registry = Registry()
        registry.map(StaffNode::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun ids(engine: AsyncEngine): List<Long> = engine.connect { c ->
            c.execute(Sql.text("SELECT id FROM orm_staff_tree ORDER BY id")).all().map {
                (it!![0] as Number).toLong()
            }
        }

        eachDatabase { db ->
            test("children added before their parents are inserted after them") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(StaffNode(3, 2, "leaf"))
                        s.add(StaffNode(2, 1, "mid"))
                        s.add(StaffNode(1, null, "boss"))
                        s.commit()
                    }
                    ids(engine) shouldBe listOf(1L, 2L, 3L)
                }
            }

            test("a tree deleted in one flush goes children first") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.addAll(
                            listOf(
                                StaffNode(1, null, "boss"),
                                StaffNode(2, 1, "a"),
                                StaffNode(3, 2, "b"),
                            )
                        )
                        s.commit()
                        // Loaded first: a get between the deletes would autoflush each one alone.
                        val all = listOf(1L, 2L, 3L).map { s.get<StaffNode>(it)!! }
                        for (node in all) s.delete(node)
                        s.commit()
                    }
                    ids(engine) shouldBe emptyList()
                }
            }

            test(
                "rows that refer to each other in a cycle are refused before any IO, nothing lost"
            ) {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val a = StaffNode(1, 2, "a")
                        val b = StaffNode(2, 1, "b")
                        s.addAll(listOf(a, b))
                        val e = shouldThrow<InvalidRequestException> { s.flush() }
                        e.message shouldContain "orm_staff_tree"
                        e.message shouldContain "flush, then set it"
                        // Still pending, the session usable: break the cycle and flush again.
                        s.new.size shouldBe 2
                        a.managerId = null
                        s.flush()
                        a.managerId = 2
                        s.commit()
                    }
                    ids(engine) shouldBe listOf(1L, 2L)
                }
            }
        }
    })
