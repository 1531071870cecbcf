package dev.athanor.coroutines

import dev.athanor.error.OperationalException
import dev.athanor.sql.Sql.text
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * A table changed by another connection under a statement the pooled connection had prepared
 * (PostgreSQL's "cached plan must not change result type"): the statement just works when nothing
 * else ran in its transaction, and otherwise the error says what happened.
 */
class StalePlanSpec :
    FunSpec({
        val db = TestDatabases.all().firstOrNull { it.isPostgres }
        if (db != null) {
            val q = text("SELECT * FROM stale_t WHERE id = :id")

            suspend fun setUp(other: AsyncEngine, engine: AsyncEngine) {
                other.connect { c ->
                    c.execDriverSql("DROP TABLE IF EXISTS stale_t")
                    c.execDriverSql("CREATE TABLE stale_t (id INT PRIMARY KEY, v INT)")
                    c.execDriverSql("INSERT INTO stale_t VALUES (1, 10)")
                    c.commit()
                }
                // Prepared (and cached) on the one pooled connection.
                engine.connect { c -> c.execute(q, mapOf("id" to 1)).all() }
                other.connect { c ->
                    c.execDriverSql("ALTER TABLE stale_t ALTER COLUMN v TYPE TEXT")
                    c.commit()
                }
            }

            test("the first statement of a transaction is run again after a stale plan") {
                withEngine(db) { other ->
                    withEngine(db, { smallPool(1) }) { engine ->
                        setUp(other, engine)
                        engine.connect { c ->
                            c.execute(q, mapOf("id" to 1)).all().single()!![1] shouldBe "10"
                            c.inTransaction() shouldBe true
                            c.execDriverSql("UPDATE stale_t SET v = 'x'")
                            c.commit()
                        }
                        other.connect { c -> c.scalar(text("SELECT v FROM stale_t")) } shouldBe "x"
                        other.connect { c ->
                            c.execDriverSql("DROP TABLE stale_t")
                            c.commit()
                        }
                    }
                }
            }

            test("later in a transaction, the error names the stale plan and says to roll back") {
                withEngine(db) { other ->
                    withEngine(db, { smallPool(1) }) { engine ->
                        setUp(other, engine)
                        engine.connect { c ->
                            c.execute(text("SELECT 1"))
                            val e =
                                shouldThrow<OperationalException> {
                                    c.execute(q, mapOf("id" to 1))
                                }
                            e.message shouldContain "cached plan"
                            e.message shouldContain "Roll back"
                            c.rollback()
                            // Re-prepared now: the next transaction works.
                            c.execute(q, mapOf("id" to 1)).all().single()!![1] shouldBe "10"
                        }
                        other.connect { c ->
                            c.execDriverSql("DROP TABLE stale_t")
                            c.commit()
                        }
                    }
                }
            }
        }
    })
