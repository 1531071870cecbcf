package dev.athanor.coroutines

import dev.athanor.engine.SyncConnection
import dev.athanor.result.InvalidRequestException
import dev.athanor.sql.Sql.insert
import dev.athanor.sql.Sql.select
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.reactor.awaitSingle
import reactor.core.publisher.Mono
import reactor.core.scheduler.Schedulers

class RunSyncSpec :
    FunSpec({
        val s = Schema("rsync")
        val name = s.users.c<String>("name")

        eachDatabase { db ->
            test("runSync runs on a virtual thread over the same connection and transaction") {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.connect { conn ->
                        conn.execute(insert(s.users), mapOf("name" to "async"))
                        val (thread, virtual, seen) =
                            conn.runSync { sync ->
                                sync.execute(insert(s.users), mapOf("name" to "sync"))
                                Triple(
                                    Thread.currentThread().name,
                                    Thread.currentThread().isVirtual,
                                    sync.execute(select(name)).all().size,
                                )
                            }
                        virtual shouldBe true
                        thread shouldStartWith "athanor-sync-"
                        seen shouldBe 2
                        // Same transaction: not committed, so another connection sees nothing yet.
                        countRows(engine, s.users) shouldBe 0L
                        conn.commit()
                    }
                    countRows(engine, s.users) shouldBe 2L
                    s.drop(engine)
                }
            }

            test("an exception in runSync reaches the caller unchanged") {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        shouldThrow<IllegalStateException> {
                                conn.runSync<Unit> { throw IllegalStateException("inside") }
                            }
                            .message shouldBe "inside"
                    }
                }
            }

            test("the blocking view refuses to block a non-blocking thread, and says what to do") {
                withEngine(db) { engine ->
                    engine.connect { conn ->
                        val sync = SyncConnection.of(conn.core)
                        val error =
                            Mono.fromCallable {
                                    runCatching {
                                        sync.execute(select(dev.athanor.sql.Sql.literal(1)))
                                    }
                                        .exceptionOrNull()
                                }
                                .subscribeOn(Schedulers.parallel())
                                .awaitSingle()
                        error as InvalidRequestException
                        error.message shouldContain "non-blocking thread"
                        error.message shouldContain "runSync"
                    }
                }
            }
        }
    })
