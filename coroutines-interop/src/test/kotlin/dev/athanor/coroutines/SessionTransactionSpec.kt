package dev.athanor.coroutines

import dev.athanor.error.IntegrityException
import dev.athanor.error.InvalidRequestException
import dev.athanor.error.MappingException
import dev.athanor.error.PendingRollbackException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Registry
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch

@Entity(table = "orm_tx_items")
class TxItem(
    @Id var id: Long? = null,
    @Column(length = 30, nullable = false, unique = true) var name: String = "",
    var note: String? = null,
    var qty: Int? = null,
)

/** Session transactions: begin(), beginNested() and savepoints, partial expiry and refresh. */
class SessionTransactionSpec :
    FunSpec({
        val registry = Registry()
        registry.map(TxItem::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun names(engine: AsyncEngine): List<String> =
            AsyncSession(engine).use { s ->
                s.scalars<TxItem>(select<TxItem>().orderBy(TxItem::name.asc())).all().map {
                    it!!.name
                }
            }

        eachDatabase { db ->
            test("a failed write in beginNested { } rolls back the savepoint; the rest commits") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val kept = TxItem(name = "kept")
                        s.add(kept)
                        val dup = TxItem(name = "kept")
                        val e =
                            shouldThrow<IntegrityException> {
                                s.beginNested { sp ->
                                    sp.isNested shouldBe true
                                    s.inNestedTransaction() shouldBe true
                                    s.add(dup)
                                }
                            }
                        e.message shouldContain "orm_tx_items"
                        // The savepoint is gone, the duplicate is transient, the session works.
                        s.inNestedTransaction() shouldBe false
                        s.inspect(dup).status() shouldBe Status.TRANSIENT
                        s.inspect(kept).status() shouldBe Status.PERSISTENT
                        s.add(TxItem(name = "after"))
                        s.commit()
                    }
                    names(engine) shouldContainExactly listOf("after", "kept")
                    awaitPoolQuiet(engine)
                }
            }

            test("rolling back a savepoint undoes its inserts, deletes and changes in objects") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val a = TxItem(name = "a", qty = 1)
                        val b = TxItem(name = "b", qty = 2)
                        s.addAll(listOf(a, b))
                        s.flush()
                        val sp = s.beginNested()
                        s.getNestedTransaction() shouldBeSameInstanceAs sp
                        sp.isActive shouldBe true
                        val c = TxItem(name = "c")
                        s.add(c)
                        a.qty = 10
                        s.delete(b)
                        s.flush()
                        s.inspect(b).status() shouldBe Status.DELETED
                        (c.id != null) shouldBe true // inserted: it has a key
                        sp.rollback()
                        sp.isActive shouldBe false
                        s.getNestedTransaction() shouldBe null
                        s.inspect(c).status() shouldBe Status.TRANSIENT
                        s.identityKey(c) shouldBe null
                        s.inspect(b).status() shouldBe Status.PERSISTENT
                        s.inspect(a).isExpired shouldBe true
                        // The next reach reloads what the database holds since the savepoint.
                        s.get<TxItem>(a.id!!) shouldBeSameInstanceAs a
                        a.qty shouldBe 1
                        s.commit()
                    }
                    names(engine) shouldContainExactly listOf("a", "b")
                }
            }

            test("a released savepoint belongs to the transaction: its rollback undoes it all") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(TxItem(name = "outer"))
                        val inner = TxItem(name = "inner")
                        s.beginNested {
                            s.add(inner)
                            // Released on return, after a flush: the row is written.
                        }
                        s.inspect(inner).status() shouldBe Status.PERSISTENT
                        s.rollback()
                        s.inspect(inner).status() shouldBe Status.TRANSIENT
                    }
                    names(engine) shouldBe emptyList()
                }
            }

            test("nested savepoints: ending an outer one ends the ones inside it") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val sp1 = s.beginNested()
                        s.add(TxItem(name = "one"))
                        val sp2 = s.beginNested()
                        s.add(TxItem(name = "two"))
                        s.flush()
                        sp1.rollback()
                        sp2.isActive shouldBe false
                        s.inNestedTransaction() shouldBe false
                        shouldThrow<InvalidRequestException> { sp2.commit() }.message shouldContain
                            "already ended"
                        s.add(TxItem(name = "three"))
                        s.commit()
                    }
                    names(engine) shouldContainExactly listOf("three")
                }
            }

            test("begin() without a block, getTransaction, and refusing a second begin") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.getTransaction() shouldBe null
                        val t = s.begin()
                        t.isNested shouldBe false
                        t.session shouldBeSameInstanceAs s
                        s.getTransaction() shouldBeSameInstanceAs t
                        s.inTransaction() shouldBe true
                        shouldThrow<InvalidRequestException> { s.begin() }.message shouldContain
                            "already has a transaction"
                        s.add(TxItem(name = "x"))
                        t.commit()
                        t.isActive shouldBe false
                        s.getTransaction() shouldBe null
                        s.inTransaction() shouldBe false
                    }
                    names(engine) shouldContainExactly listOf("x")
                }
            }

            test("a failed flush inside a savepoint is pending until that savepoint rolls back") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(TxItem(name = "base"))
                        val sp = s.beginNested()
                        s.add(TxItem(name = "base"))
                        shouldThrow<IntegrityException> { s.flush() }
                        shouldThrow<PendingRollbackException> { s.get<TxItem>(1L) }
                            .message shouldContain "rollback()"
                        sp.rollback()
                        s.isActive shouldBe true
                        s.add(TxItem(name = "more"))
                        s.commit()
                    }
                    names(engine) shouldContainExactly listOf("base", "more")
                }
            }

            test("a cancelled beginNested { } rolls back its savepoint; the session goes on") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(TxItem(name = "before"))
                        s.flush()
                        val inside = CompletableDeferred<Unit>()
                        val written = TxItem(name = "cancelled")
                        coroutineScope {
                            val job = launch {
                                s.beginNested {
                                    s.add(written)
                                    s.flush()
                                    inside.complete(Unit)
                                    awaitCancellation()
                                }
                            }
                            inside.await()
                            job.cancel()
                        }
                        s.inNestedTransaction() shouldBe false
                        s.inspect(written).status() shouldBe Status.TRANSIENT
                        s.commit()
                    }
                    names(engine) shouldContainExactly listOf("before")
                    awaitPoolQuiet(engine)
                }
            }

            test("expire and refresh of named attributes rewrite those alone") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val id =
                        AsyncSession(engine).use { s ->
                            val item = TxItem(name = "item", note = "n0", qty = 1)
                            s.add(item)
                            s.commit()
                            item.id!!
                        }
                    // Another connection changes the row behind the session's back.
                    engine.begin { c ->
                        c.execute(
                            dev.athanor.sql.Sql.text(
                                "UPDATE orm_tx_items SET note = 'n1', qty = 2 WHERE id = :id"
                            ),
                            mapOf("id" to id),
                        )
                    }
                    // Without autoflush: refresh would otherwise write the change to qty first.
                    AsyncSession(engine, autoflush = false).use { s ->
                        val item = s.get<TxItem>(id)!!
                        engine.begin { c ->
                            c.execute(
                                dev.athanor.sql.Sql.text(
                                    "UPDATE orm_tx_items SET note = 'n2', qty = 3 WHERE id = :id"
                                ),
                                mapOf("id" to id),
                            )
                        }
                        item.qty = 99 // a change to an attribute that is not refreshed: kept
                        item.note = "mine" // a change to one that is: discarded
                        s.refresh(item, listOf("note"))
                        item.note shouldBe "n2"
                        item.qty shouldBe 99
                        s.isModified(item) shouldBe true
                        s.inspect(item).modifiedAttributes() shouldContainExactly listOf("qty")

                        s.expire(item, listOf("qty"))
                        s.inspect(item).expiredAttributes() shouldContainExactly listOf("qty")
                        s.inspect(item).isExpired shouldBe true
                        item.note = "later" // changed after the expiry of another attribute
                        s.get<TxItem>(id) // reaches it: qty is reloaded, note is kept
                        item.qty shouldBe 3
                        item.note shouldBe "later"
                        s.inspect(item).isExpired shouldBe false
                        s.commit()
                        shouldThrow<MappingException> { s.expire(item, listOf("nope")) }
                            .message shouldContain "[id, name, note, qty]"
                    }
                    AsyncSession(engine).use { s ->
                        val item = s.get<TxItem>(id)!!
                        item.note shouldBe "later"
                        item.qty shouldBe 3
                    }
                }
            }
        }
    })
