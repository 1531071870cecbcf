package dev.athanor.coroutines

import dev.athanor.error.CompileException
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.index
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.primaryKey
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.uniqueIndex
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class DdlSpec :
    FunSpec({
        fun schema(): MetaData {
            val meta = MetaData()
            // Declared child first: createAll must still create the parent first.
            meta.table(
                "ddl_child",
                column("id", Types.INTEGER).primaryKey(),
                column("parent_a", Types.INTEGER).notNull(),
                column("parent_b", Types.string(10)).notNull(),
                column("note", Types.string(50)).index(),
                dev.athanor.sql.Sql.foreignKey(
                    listOf("parent_a", "parent_b"),
                    "ddl_parent",
                    listOf("a", "b"),
                ),
                uniqueIndex("ux_ddl_child_note_id", "note", "id"),
            )
            meta.table(
                "ddl_parent",
                column("a", Types.INTEGER),
                column("b", Types.string(10)),
                column("label", Types.string(20)).notNull().unique(),
                primaryKey("a", "b"),
                index("ix_ddl_parent_label_b", "label", "b"),
            )
            return meta
        }

        eachDatabase { db ->
            test("createAll and dropAll in dependency order, with checkFirst") {
                withEngine(db) { engine ->
                    val meta = schema()
                    meta.sortedTables().map { it.name() } shouldBe listOf("ddl_parent", "ddl_child")
                    engine.begin { conn ->
                        meta.dropAll(conn)
                        meta.createAll(conn)
                        meta.createAll(conn) // checkFirst: a second call does nothing
                        conn.execute(
                            insert(meta.table("ddl_parent")),
                            mapOf("a" to 1, "b" to "x", "label" to "one"),
                        )
                        conn.execute(
                            insert(meta.table("ddl_child")),
                            mapOf("parent_a" to 1, "parent_b" to "x", "note" to "n"),
                        )
                    }
                    engine.connect { conn ->
                        val names = conn.inspector().tableNames()
                        names shouldContainAll listOf("ddl_child", "ddl_parent")
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                    engine.connect { conn ->
                        conn.inspector().hasTable("ddl_child") shouldBe false
                        conn.inspector().tableNames() shouldNotContain "ddl_parent"
                    }
                }
            }

            test(
                "the inspector reads columns, keys, foreign keys and indexes, also inside runSync"
            ) {
                withEngine(db) { engine ->
                    val meta = schema()
                    engine.begin { conn ->
                        meta.dropAll(conn)
                        meta.createAll(conn)
                    }
                    engine.connect { conn ->
                        val insp = conn.inspector()
                        insp.hasTable("ddl_parent") shouldBe true
                        val cols = insp.columns("ddl_child")
                        cols.map { it.name() } shouldBe listOf("id", "parent_a", "parent_b", "note")
                        cols[0].autoincrement() shouldBe true
                        cols[2].type().name() shouldBe "VARCHAR(10)"
                        cols[2].nullable() shouldBe false
                        cols[3].nullable() shouldBe true
                        insp.primaryKey("ddl_parent") shouldBe listOf("a", "b")
                        val fks = insp.foreignKeys("ddl_child")
                        fks.size shouldBe 1
                        fks[0].columns() shouldBe listOf("parent_a", "parent_b")
                        fks[0].targetTable() shouldBe "ddl_parent"
                        fks[0].targetColumns() shouldBe listOf("a", "b")
                        val ix = insp.indexes("ddl_child").associateBy { it.name() }
                        ix.keys shouldContainAll listOf("ix_ddl_child_note", "ux_ddl_child_note_id")
                        ix.getValue("ux_ddl_child_note_id").unique() shouldBe true
                        ix.getValue("ux_ddl_child_note_id").columns() shouldBe listOf("note", "id")
                        insp.indexes("ddl_parent").map { it.name() } shouldBe
                            listOf("ix_ddl_parent_label_b")

                        val fromSync = conn.runSync { sync ->
                            sync.inspector().primaryKey("ddl_child")
                        }
                        fromSync shouldBe listOf("id")

                        val loaded = insp.loadTable(MetaData(), "ddl_parent")
                        loaded.primaryKey().map { it.name() } shouldBe listOf("a", "b")
                        loaded.columns().map { it.name() } shouldBe listOf("a", "b", "label")
                        conn.execute(select(loaded)).all() shouldBe emptyList()
                    }
                    engine.begin { conn -> meta.dropAll(conn) }
                }
            }

            test("tables that refer to each other: keys added after both exist, dropped first") {
                withEngine(db) { engine ->
                    val meta = MetaData()
                    meta.table(
                        "ddl_team",
                        column("id", Types.INTEGER).primaryKey(),
                        column("captain_id", Types.INTEGER).references("ddl_player.id"),
                    )
                    meta.table(
                        "ddl_player",
                        column("id", Types.INTEGER).primaryKey(),
                        column("team_id", Types.INTEGER).references("ddl_team.id"),
                    )
                    val team = meta.table("ddl_team")
                    val player = meta.table("ddl_player")
                    for (sync in listOf(false, true)) {
                        engine.begin { conn ->
                            if (sync) {
                                conn.runSync { s ->
                                    meta.dropAll(s)
                                    meta.createAll(s)
                                    meta.createAll(s) // checkFirst: nothing twice
                                }
                            } else {
                                meta.dropAll(conn)
                                meta.createAll(conn)
                                meta.createAll(conn)
                            }
                        }
                        engine.connect { conn ->
                            val insp = conn.inspector()
                            insp.foreignKeys("ddl_team").map { it.targetTable() } shouldBe
                                listOf("ddl_player")
                            insp.foreignKeys("ddl_player").map { it.targetTable() } shouldBe
                                listOf("ddl_team")
                        }
                        // Both keys are enforced.
                        engine.begin { conn ->
                            conn.execute(insert(team), mapOf("id" to 1, "captain_id" to null))
                            conn.execute(insert(player), mapOf("id" to 10, "team_id" to 1))
                            conn.execute(
                                dev.athanor.sql.Sql.update(team)
                                    .values(mapOf("captain_id" to 10))
                                    .where(team.c<Int>("id").eq(1))
                            )
                        }
                        shouldThrow<dev.athanor.error.IntegrityException> {
                            engine.begin { conn ->
                                conn.execute(insert(team), mapOf("id" to 2, "captain_id" to 99))
                            }
                        }
                        shouldThrow<dev.athanor.error.IntegrityException> {
                            engine.begin { conn ->
                                conn.execute(insert(player), mapOf("id" to 20, "team_id" to 99))
                            }
                        }
                        // Rows still refer to each other: dropAll drops the keys first.
                        engine.begin { conn ->
                            if (sync) conn.runSync { s -> meta.dropAll(s) } else meta.dropAll(conn)
                        }
                        engine.connect { conn ->
                            conn.inspector().hasTable("ddl_team") shouldBe false
                            conn.inspector().hasTable("ddl_player") shouldBe false
                        }
                    }
                }
            }

            test("createAll and dropAll work through runSync, sharing the transaction") {
                withEngine(db) { engine ->
                    val meta = schema()
                    engine.begin { conn ->
                        conn.runSync { sync ->
                            meta.dropAll(sync)
                            meta.createAll(sync)
                            sync.inTransaction() shouldBe true
                        }
                        conn.inspector().hasTable("ddl_child") shouldBe true
                    }
                    engine.begin { conn -> conn.runSync { sync -> meta.dropAll(sync) } }
                    engine.connect { conn -> conn.inspector().hasTable("ddl_child") shouldBe false }
                }
            }

            if (!db.isPostgres) {
                test("a type the dialect cannot express fails with an error that names it") {
                    withEngine(db) { engine ->
                        val meta = MetaData()
                        meta.table(
                            "ddl_json",
                            column("id", Types.INTEGER).primaryKey(),
                            column("doc", Types.JSON),
                        )
                        val e =
                            shouldThrow<CompileException> {
                                engine.begin { conn -> meta.createAll(conn) }
                            }
                        e.message shouldContain "JSON"
                        e.message shouldContain "PostgreSQL"
                    }
                }
            }
        }
    })
