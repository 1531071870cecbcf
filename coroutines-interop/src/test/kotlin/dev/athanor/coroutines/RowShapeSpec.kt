package dev.athanor.coroutines

import dev.athanor.sql.Func
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Sql.text
import dev.athanor.sql.Types
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe

/**
 * Executions of one cached compilation share the keys of their rows (read once from the driver's
 * metadata): a later execution that selects other expression objects, or whose table changed, must
 * still get keys of its own.
 */
class RowShapeSpec :
    FunSpec({
        val meta = MetaData()
        val items =
            meta.table(
                "rs_items",
                column("id", Types.INTEGER).primaryKey().autoincrement(false),
                column("name", Types.string(20)),
            )
        val id = items.c<Int>("id")
        val name = items.c<String>("name")

        suspend fun seed(engine: AsyncEngine) {
            engine.begin { c ->
                meta.dropAll(c)
                meta.createAll(c)
                c.execute(
                    insert(items),
                    listOf(mapOf("id" to 1, "name" to "a"), mapOf("id" to 2, "name" to "b")),
                )
            }
        }

        eachDatabase { db ->
            test("statements of one shape built anew find their own expressions in the rows") {
                withEngine(db) { engine ->
                    seed(engine)
                    val before = engine.core.compiledCacheHitsAndMisses()
                    repeat(3) {
                        // New expression objects each time, one compiled statement for all.
                        val n = Func.count(id).label("n")
                        val top = Func.max(name).label("top")
                        val row = engine.connect { c -> c.execute(select(n, top)).one()!! }
                        (row[n] as Number).toInt() shouldBe 2
                        row[top] shouldBe "b"
                        row["n"].let { (it as Number).toInt() } shouldBe 2
                    }
                    // One compilation (a miss), then two hits: the three executions shared it.
                    val after = engine.core.compiledCacheHitsAndMisses()
                    (after[0] - before[0]) shouldBe 2L
                    (after[1] - before[1]) shouldBe 1L
                    // The same statement object again: the shared keys serve it.
                    val byId = select(id, name).where(id.eq(2))
                    repeat(2) {
                        val row = engine.connect { c -> c.execute(byId).one()!! }
                        row[id] shouldBe 2
                        row[name] shouldBe "b"
                        row.keys().names() shouldBe listOf("id", "name")
                    }
                }
            }

            test("a textual SELECT * sees a column added between two executions") {
                withEngine(db) { engine ->
                    seed(engine)
                    val all = text("SELECT * FROM rs_items ORDER BY id")
                    engine
                        .connect { c -> c.execute(all).all() }
                        .let { rows ->
                            rows shouldHaveSize 2
                            rows[0]!!.keys().names() shouldHaveSize 2
                        }
                    engine.connect { c ->
                        c.execDriverSql("ALTER TABLE rs_items ADD COLUMN extra INTEGER")
                        c.commit()
                    }
                    val rows = engine.connect { c -> c.execute(all).all() }
                    rows[0]!!.keys().names() shouldHaveSize 3
                    rows[0]!!.get(2) shouldBe null
                    rows[1]!!.get(1) shouldBe "b"
                    engine.connect { c ->
                        c.execDriverSql("ALTER TABLE rs_items DROP COLUMN name")
                        c.commit()
                    }
                    val fewer = engine.connect { c -> c.execute(all).all() }
                    fewer[0]!!.keys().names() shouldHaveSize 2
                    fewer[1]!!.get(0) shouldBe 2
                }
            }
        }
    })
