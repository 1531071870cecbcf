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

@Entity(table = "orm_cyc_team")
class CycTeam(
    @Id(generated = false) var id: Long? = null,
    @Column(references = "orm_cyc_player.id") var captainId: Long? = null,
) {
    override fun toString(): String = "CycTeam($id)"
}

@Entity(table = "orm_cyc_player")
class CycPlayer(
    @Id(generated = false) var id: Long? = null,
    @Column(references = "orm_cyc_team.id") var teamId: Long? = null,
) {
    override fun toString(): String = "CycPlayer($id)"
}

/**
 * A table that refers to itself, and two tables that refer to each other, written by one flush: new
 * rows after the new rows they refer to, deleted rows before the rows they refer to, a cycle
 * refused before any IO with nothing lost.
 */
class SelfReferenceSpec :
    FunSpec({
        val registry = Registry()
        registry.map(StaffNode::class.java)
        registry.map(CycTeam::class.java)
        registry.map(CycPlayer::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun ids(engine: AsyncEngine, table: String = "orm_staff_tree"): List<Long> =
            engine.connect { c ->
                c.execute(Sql.text("SELECT id FROM $table ORDER BY id")).all().map {
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

            test("rows of two tables that refer to each other are written row by row in order") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        // Added children first: team 2's captain plays for team 1.
                        s.add(CycPlayer(20, 2))
                        s.add(CycTeam(2, 10))
                        s.add(CycPlayer(10, 1))
                        s.add(CycTeam(1, null))
                        s.commit()
                    }
                    ids(engine, "orm_cyc_team") shouldBe listOf(1L, 2L)
                    ids(engine, "orm_cyc_player") shouldBe listOf(10L, 20L)
                    AsyncSession(engine).use { s ->
                        val teams = listOf(1L, 2L).map { s.get<CycTeam>(it)!! }
                        val players = listOf(10L, 20L).map { s.get<CycPlayer>(it)!! }
                        for (o in players + teams) s.delete(o)
                        s.commit()
                    }
                    ids(engine, "orm_cyc_team") shouldBe emptyList()
                    ids(engine, "orm_cyc_player") shouldBe emptyList()
                }
            }

            test("rows of two tables that name each other are refused by name, nothing lost") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val team = CycTeam(3, 30)
                        val player = CycPlayer(30, 3)
                        s.addAll(listOf(team, player))
                        val e = shouldThrow<InvalidRequestException> { s.flush() }
                        e.message shouldContain "orm_cyc_team (CycTeam)"
                        e.message shouldContain "orm_cyc_player (CycPlayer)"
                        e.message shouldContain "CycTeam(3)"
                        s.new.size shouldBe 2
                        team.captainId = null
                        s.flush()
                        team.captainId = 30
                        s.commit()
                    }
                    ids(engine, "orm_cyc_team") shouldBe listOf(3L)
                    engine.connect { c ->
                        c.scalar(Sql.text("SELECT captain_id FROM orm_cyc_team"))
                            .toString() shouldBe "30"
                    }
                }
            }
        }
    })
