package dev.athanor.coroutines

import dev.athanor.engine.SyncConnection
import dev.athanor.error.InvalidRequestException
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

            test(
                "a blocking call on an interrupted thread fails naming itself, sends nothing; " +
                    "the connection goes on"
            ) {
                withEngine(db) { engine ->
                    s.reset(engine)
                    engine.connect { conn ->
                        val (error, stillInterrupted) =
                            conn.runSync { sync ->
                                Thread.currentThread().interrupt()
                                val e = runCatching {
                                    sync.execute(insert(s.users), mapOf("name" to "cut"))
                                }
                                    .exceptionOrNull()
                                // Thread.interrupted() reads the status and clears it.
                                val interrupted = Thread.interrupted()
                                // The next blocking call waits behind the interrupted one.
                                sync.execute(insert(s.users), mapOf("name" to "after"))
                                e to interrupted
                            }
                        error as java.util.concurrent.CancellationException
                        error.message shouldContain "execute()"
                        error.message shouldContain "interrupted"
                        (error.cause is InterruptedException) shouldBe true
                        stillInterrupted shouldBe true
                        conn.commit()
                    }
                    engine.connect { c ->
                        c.execute(select(name).where(name.eq("after"))).all().size shouldBe 1
                        c.execute(select(name).where(name.eq("cut"))).all().size shouldBe 0
                    }
                    awaitPoolQuiet(engine)
                    s.drop(engine)
                }
            }

            test(
                "runSync carries the caller's MDC, named thread-locals and ThreadContextElements"
            ) {
                withEngine(db) { engine ->
                    val tenant = ThreadLocal<String>()
                    dev.athanor.engine.RunSyncContext.propagate(tenant)
                    val span = ThreadLocal<String>()
                    val spanElement =
                        object : kotlinx.coroutines.ThreadContextElement<String?> {
                            override val key =
                                object : kotlin.coroutines.CoroutineContext.Key<Nothing> {}

                            override fun updateThreadContext(
                                context: kotlin.coroutines.CoroutineContext
                            ): String? = span.get().also { span.set("span-7") }

                            override fun restoreThreadContext(
                                context: kotlin.coroutines.CoroutineContext,
                                oldState: String?,
                            ) {
                                if (oldState == null) span.remove() else span.set(oldState)
                            }
                        }
                    val logger =
                        org.slf4j.LoggerFactory.getLogger("athanor.test.runsync")
                            as ch.qos.logback.classic.Logger
                    val appender =
                        ch.qos.logback.core.read
                            .ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>()
                            .also { it.start() }
                    logger.addAppender(appender)
                    try {
                        kotlinx.coroutines.withContext(spanElement) {
                            engine.connect { conn ->
                                org.slf4j.MDC.put("requestId", "req-42")
                                tenant.set("acme")
                                try {
                                    val seen = conn.runSync { sync ->
                                        logger.info("inside runSync")
                                        Triple(
                                            org.slf4j.MDC.get("requestId"),
                                            tenant.get(),
                                            span.get(),
                                        )
                                    }
                                    seen shouldBe Triple("req-42", "acme", "span-7")
                                } finally {
                                    org.slf4j.MDC.remove("requestId")
                                    tenant.remove()
                                }
                            }
                        }
                        appender.list.single().mdcPropertyMap["requestId"] shouldBe "req-42"
                    } finally {
                        logger.detachAppender(appender)
                        dev.athanor.engine.RunSyncContext.stopPropagating(tenant)
                    }
                }
            }
        }
    })
