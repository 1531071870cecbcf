package dev.athanor.coroutines

import dev.athanor.error.StaleDataException
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

@Entity(table = "orm_paged_notes")
class PagedNote(@Id(generated = false) var id: Int? = null, var body: String? = null)

/**
 * Flushes of more objects than one statement can carry: the DELETEs of a class keyed by one column
 * go a page of keys at a time, each page checked for its own row count.
 */
class FlushPagesSpec :
    FunSpec({
        val registry = Registry()
        registry.map(PagedNote::class.java)

        /** An empty table with notes 1..n. */
        suspend fun seedNotes(engine: AsyncEngine, n: Int) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
            AsyncSession(engine).use { s ->
                s.addAll((1..n).map { PagedNote(it, "n$it") })
                s.commit()
            }
        }

        eachDatabase { db ->
            test("one flush deletes more rows than a statement has bound parameters") {
                // PostgreSQL takes at most 65,535 parameters in one statement: the flush's
                // DELETE ... IN goes a page of keys at a time.
                withEngine(db) { engine ->
                    val n = 70_000
                    seedNotes(engine, n)
                    AsyncSession(engine).use { s ->
                        val all = s.scalars<PagedNote>(select<PagedNote>()).all()
                        all.size shouldBe n
                        all.forEach { s.delete(it!!) }
                        s.commit()
                        s.deleted.size shouldBe 0
                        (all.last()!! in s) shouldBe false
                    }
                    engine
                        .connect { it.scalar(Sql.text("SELECT count(*) FROM orm_paged_notes")) }
                        .let { (it as Number).toLong() } shouldBe 0L
                }
            }

            test("a row gone from a later page of a large delete fails the whole flush") {
                withEngine(db) { engine ->
                    val n = 2_500
                    seedNotes(engine, n)
                    AsyncSession(engine).use { s ->
                        val all =
                            s.scalars<PagedNote>(select<PagedNote>().orderBy(PagedNote::id.asc()))
                                .all()
                        all.forEach { s.delete(it!!) }
                        // Someone else deletes a row of the third page (keys 2,001-2,500).
                        engine.begin {
                            it.execute(Sql.text("DELETE FROM orm_paged_notes WHERE id = 2400"))
                        }
                        val e = shouldThrow<StaleDataException> { s.commit() }
                        e.message shouldContain "matched 499 row(s) where 500 were expected"
                        e.message shouldContain "[2001], [2002]"
                        e.message shouldContain "... 500 rows in all"
                        s.rollback()
                    }
                    // The pages deleted before it were rolled back with it.
                    engine
                        .connect { it.scalar(Sql.text("SELECT count(*) FROM orm_paged_notes")) }
                        .let { (it as Number).toLong() } shouldBe (n - 1).toLong()
                }
            }
        }
    })
