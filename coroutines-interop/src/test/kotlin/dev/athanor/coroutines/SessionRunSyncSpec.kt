package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.error.ResourceClosedException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Registry
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay

@Entity(table = "orm_sync_notes")
class SyncNote(
    @Id var id: Long? = null,
    @Column(length = 40, nullable = false) var text: String = "",
)

/** runSync on a session, objectSession, closeAll and invalidate. */
class SessionRunSyncSpec :
    FunSpec({
        val registry = Registry()
        registry.map(SyncNote::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        eachDatabase { db ->
            test("runSync shares the identity map and the transaction, on a virtual thread") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val a = SyncNote(text = "async")
                        s.add(a)
                        s.flush()
                        val made = s.runSync { sync ->
                            Thread.currentThread().isVirtual shouldBe true
                            // The same object, no SQL: it is in the identity map.
                            sync.get(SyncNote::class.java, a.id!!) shouldBeSameInstanceAs a
                            a.text = "changed in runSync"
                            val b = SyncNote(text = "sync")
                            sync.add(b)
                            sync.flush()
                            sync.inspect(b).status() shouldBe Status.PERSISTENT
                            // The same transaction: its connection sees the flushed rows,
                            // which another connection cannot see yet.
                            (sync
                                    .connection()
                                    .scalar(Sql.text("SELECT count(*) FROM orm_sync_notes"))
                                    as Number)
                                .toInt() shouldBe 2
                            b
                        }
                        s.inspect(made).status() shouldBe Status.PERSISTENT
                        s.isModified(a) shouldBe false // flushed inside
                        engine.connect { c ->
                            (c.scalar(Sql.text("SELECT count(*) FROM orm_sync_notes")) as Number)
                                .toInt() shouldBe 0
                        }
                        s.commit()
                    }
                    engine.connect { c ->
                        (c.scalar(Sql.text("SELECT count(*) FROM orm_sync_notes")) as Number)
                            .toInt() shouldBe 2
                    }
                    awaitPoolQuiet(engine)
                }
            }

            test("while runSync runs, the session refuses other callers, even a cancelled one's") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val entered = CountDownLatch(1)
                        val proceed = CountDownLatch(1)
                        coroutineScope {
                            val job = async {
                                s.runSync { sync ->
                                    entered.countDown()
                                    // Cancelling the caller interrupts this thread; blocking
                                    // code that goes on anyway still owns the session.
                                    var done = false
                                    while (!done) {
                                        done =
                                            try {
                                                proceed.await(10, TimeUnit.SECONDS)
                                                true
                                            } catch (e: InterruptedException) {
                                                false
                                            }
                                    }
                                    sync.add(SyncNote(text = "late"))
                                    sync.flush()
                                }
                            }
                            while (entered.count > 0) delay(5)
                            shouldThrow<InvalidRequestException> { s.get<SyncNote>(1L) }
                                .message shouldContain "busy with runSync()"
                            // The caller stops waiting; the function still runs, so the guard
                            // stays.
                            job.cancel()
                            shouldThrow<InvalidRequestException> { s.flush() }.message shouldContain
                                "runSync()"
                            proceed.countDown()
                        }
                        // Once the function returned, the session is free again.
                        var free = false
                        repeat(200) {
                            if (!free) {
                                free =
                                    try {
                                        s.flush()
                                        true
                                    } catch (e: InvalidRequestException) {
                                        delay(10)
                                        false
                                    }
                            }
                        }
                        free shouldBe true
                        s.new.size shouldBe 0
                        s.commit()
                    }
                    awaitPoolQuiet(engine)
                }
            }

            test("an error in runSync reaches the caller; the session goes on") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        shouldThrow<IllegalStateException> {
                                s.runSync<Unit> { error("in the blocking code") }
                            }
                            .message shouldBe "in the blocking code"
                        shouldThrow<InvalidRequestException> {
                                s.runSync { sync -> sync.async().runSync<Int> { 1 }.block() }
                            }
                            .message shouldContain "inside a runSync() function"
                        s.add(SyncNote(text = "after"))
                        s.commit()
                    }
                }
            }

            test("objectSession, invalidate and closeAll") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val s1 = AsyncSession(engine)
                    val s2 = AsyncSession(engine)
                    val n = SyncNote(text = "mine")
                    AsyncSession.objectSession(n) shouldBe null
                    s1.add(n)
                    AsyncSession.objectSession(n) shouldBeSameInstanceAs s1
                    s1.flush()
                    engine.poolStatus!!.checkedOut shouldBe 1
                    // invalidate discards the connection; the uncommitted row goes with it.
                    s1.invalidate()
                    s1.isClosed shouldBe true
                    AsyncSession.objectSession(n) shouldBe null
                    shouldThrow<ResourceClosedException> { s1.flush() }
                    awaitPoolQuiet(engine)
                    s2.add(SyncNote(text = "open"))
                    s2.flush()
                    AsyncSession.closeAll()
                    s2.isClosed shouldBe true
                    awaitPoolQuiet(engine)
                    engine.connect { c ->
                        (c.scalar(Sql.text("SELECT count(*) FROM orm_sync_notes")) as Number)
                            .toInt() shouldBe 0
                    }
                }
            }
        }
    })
