package dev.athanor.coroutines

import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.MetaData
import dev.athanor.sql.Sql
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import dev.athanor.sql.Types
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow

@Entity(table = "orm_demand_items")
class DemandItem(@Id(generated = false) var id: Int? = null, var note: String? = null)

/**
 * A stream reads as far ahead of its collector as one batch: a collector busy with a batch leaves
 * the rest of the result unread (memory), and with `RELEASE_STREAMED` the session keeps the objects
 * the collector is working on (their changes are flushed).
 */
class StreamDemandSpec :
    FunSpec({
        val registry = Registry()
        registry.map(DemandItem::class.java)
        val read = AtomicInteger()
        // The ORM's table seen through a column type that counts the values read from the driver.
        val counted =
            MetaData()
                .table(
                    "orm_demand_items",
                    column(
                        "id",
                        Types.INTEGER.decorate(
                            Int::class.javaObjectType,
                            { it },
                            {
                                read.incrementAndGet()
                                it
                            },
                        ),
                    ),
                )

        suspend fun seeded(engine: AsyncEngine, n: Int) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
                conn.execute(
                    insert(registry.metadata().table("orm_demand_items")),
                    (1..n).map { mapOf("id" to it, "note" to null) },
                )
            }
            read.set(0)
        }

        /** Waits until the stream stops reading; returns how many values it read. */
        suspend fun settled(): Int {
            var last = -1
            repeat(100) {
                if (last == read.get()) return last
                last = read.get()
                delay(100)
            }
            return last
        }

        suspend fun firstBatchRead(batches: Flow<List<*>>): Int {
            var atFirst = -1
            batches.collect { if (atFirst < 0) atFirst = settled() }
            return atFirst
        }

        eachDatabase { db ->
            test("partitions() and partitions(n) read one batch ahead of the collector") {
                withEngine(db) { engine ->
                    seeded(engine, 2_000)
                    val ordered = select(counted.c<Int>("id")).orderBy(counted.c<Int>("id"))
                    engine.connect { conn ->
                        val r =
                            conn.stream(ordered, options = ExecutionOptions.DEFAULTS.yieldPer(50))
                        firstBatchRead(r.partitions()) shouldBeInRange 1..3 * 50
                    }
                    read.set(0)
                    engine.connect { conn ->
                        val r =
                            conn.stream(ordered, options = ExecutionOptions.DEFAULTS.yieldPer(50))
                        firstBatchRead(r.partitions(50)) shouldBeInRange 1..3 * 50
                    }
                    read.set(0)
                    engine.connect { conn ->
                        val r =
                            conn.stream(ordered, options = ExecutionOptions.DEFAULTS.yieldPer(50))
                        firstBatchRead(r.scalars<Int>().partitions()) shouldBeInRange 1..3 * 50
                    }
                }
            }

            test("releaseStreamed keeps the objects of the batch the collector is working on") {
                withEngine(db) { engine ->
                    seeded(engine, 500)
                    AsyncSession(engine).use { s ->
                        var first = true
                        s.stream(
                                select<DemandItem>().orderBy(DemandItem::id.asc()),
                                options =
                                    ExecutionOptions.DEFAULTS.yieldPer(10)
                                        .with(Session.RELEASE_STREAMED, true),
                            )
                            .scalars<DemandItem>()
                            .partitions()
                            .collect { batch ->
                                if (first) {
                                    first = false
                                    delay(500) // the stream would read ahead now, if it did
                                    batch.all { it in s } shouldBe true
                                    batch.forEach { it.note = "seen" }
                                }
                            }
                        s.commit()
                    }
                    engine
                        .connect { c ->
                            c.scalar(
                                Sql.text(
                                    "SELECT count(*) FROM orm_demand_items WHERE note = 'seen'"
                                )
                            )
                        }
                        .let { (it as Number).toInt() } shouldBe 10
                }
            }
        }
    })
