package dev.athanor.coroutines

import dev.athanor.error.InvalidRequestException
import dev.athanor.error.UnloadedAttributeException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Loaders
import dev.athanor.session.Registry
import dev.athanor.session.Relationship
import dev.athanor.sql.Sql
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope

@Entity(table = "ksil_shelf")
class KShelf(@Id(generated = false) var id: Long? = null, var label: String? = null) {
    @Relationship(viewOnly = true) var boxes: List<KBox> = emptyList()

    override fun toString(): String = "KShelf($id)"
}

@Entity(table = "ksil_box")
class KBox(
    @Id(generated = false) var id: Long? = null,
    @Column(references = "ksil_shelf.id") var shelfId: Long? = null,
    @Column(references = "ksil_box.id") var parentId: Long? = null,
) {
    /** A relationship of a table to itself: the boxes inside this one. */
    @Relationship(viewOnly = true, foreignKey = "parentId") var inner: List<KBox>? = null

    override fun toString(): String = "KBox($id)"
}

/**
 * View-only relationships from Kotlin: `selectinload(Shelf::boxes)` and its chain, a relationship
 * of a table to itself, the unloaded error, `refresh` and `runSync` loads, a Kotlin property left
 * as the user set it on a new object, and a cancelled query's load leaving the session usable.
 */
class SelectInLoadSpec :
    FunSpec({
        val registry = Registry()
        registry.map(KShelf::class.java)
        registry.map(KBox::class.java)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
            AsyncSession(engine).use { s ->
                s.add(KShelf(1, "top"))
                s.add(KShelf(2, "bottom"))
                s.add(KBox(10, 1))
                s.add(KBox(11, 1, 10))
                s.add(KBox(12, 1, 10))
                s.add(KBox(20, 2))
                s.commit()
            }
        }

        fun ids(boxes: List<KBox>?): List<Long?> = boxes!!.map { it.id }

        /**
         * Runs [call] and cancels it as its select-in statement (`... IN (...)`) starts, before any
         * result could reach it; the caller sees the cancellation.
         */
        suspend fun cancelAtTheInStatement(engine: AsyncEngine, call: suspend () -> Any?) {
            val running = CompletableDeferred<Deferred<*>>()
            engine.core
                .events()
                .add(
                    object : dev.athanor.engine.EngineListener {
                        override fun beforeExecute(context: dev.athanor.engine.ExecuteContext) {
                            if (context.sql().contains(" IN ")) {
                                running.getCompleted().cancel()
                            }
                        }
                    }
                )
            coroutineScope {
                val c = async(start = CoroutineStart.LAZY) { call() }
                running.complete(c)
                c.start()
                shouldThrow<CancellationException> { c.await() }
            }
        }

        eachDatabase { db ->
            test("selectinload by property reference, chained, on a table that refers to itself") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val shelves =
                            s.scalars<KShelf>(
                                    select<KShelf>()
                                        .orderBy(KShelf::id.asc())
                                        .options(
                                            selectinload(KShelf::boxes).selectinload(KBox::inner)
                                        )
                                )
                                .all()
                                .map { it!! }
                        ids(shelves[0].boxes) shouldBe listOf(10L, 11L, 12L)
                        ids(shelves[0].boxes[0].inner) shouldBe listOf(11L, 12L)
                        ids(shelves[0].boxes[1].inner) shouldBe emptyList()
                        ids(shelves[1].boxes) shouldBe listOf(20L)
                        // The same objects the identity map holds.
                        (s.get(KBox::class.java, 11L) === shelves[0].boxes[1]) shouldBe true
                        // Every box came through the chained option: its own collection is loaded.
                        ids(s.get(KBox::class.java, 20L)!!.inner) shouldBe emptyList()
                        s.rollback()
                    }
                }
            }

            test("unloaded reads fail with the fixes; refresh and runSync load") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val shelf = s.get(KShelf::class.java, 1L)!!
                        val e = shouldThrow<UnloadedAttributeException> { shelf.boxes.first() }
                        e.message shouldContain "KShelf.boxes"
                        e.message shouldContain "selectinload(KShelf::boxes)"
                        s.refresh(shelf, listOf("boxes"))
                        ids(shelf.boxes) shouldBe listOf(10L, 11L, 12L)

                        val other = s.get(KShelf::class.java, 2L)!!
                        s.runSync { ids(other.boxes) } shouldBe listOf(20L)

                        val got =
                            s.get(
                                KShelf::class.java,
                                1L,
                                Loaders.options(selectinload(KShelf::boxes)),
                            )!!
                        ids(got.boxes) shouldBe listOf(10L, 11L, 12L)
                        s.rollback()
                    }
                }
            }

            test("fetch loads an unloaded relationship once, by property or by name") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val selects = mutableListOf<String>()
                    engine.core
                        .events()
                        .add(
                            object : dev.athanor.engine.EngineListener {
                                override fun beforeExecute(
                                    context: dev.athanor.engine.ExecuteContext
                                ) {
                                    if (context.sql().startsWith("SELECT")) {
                                        synchronized(selects) { selects.add(context.sql()) }
                                    }
                                }
                            }
                        )
                    AsyncSession(engine).use { s ->
                        val shelf = s.get(KShelf::class.java, 1L)!!
                        selects.clear()
                        val boxes = s.fetch(shelf, KShelf::boxes)
                        ids(boxes) shouldBe listOf(10L, 11L, 12L)
                        selects.size shouldBe 1
                        (shelf.boxes === boxes) shouldBe true
                        (s.fetch(shelf, KShelf::boxes) === boxes) shouldBe true
                        selects.size shouldBe 1 // loaded: no IO
                        // A nullable relationship of a table to itself, by name.
                        ids(s.fetch<KBox>(boxes[0], "inner")) shouldBe listOf(11L, 12L)
                        ids(s.fetch(boxes[1], KBox::inner)) shouldBe emptyList()
                        shouldThrow<dev.athanor.error.MappingException> {
                            s.fetch<KBox>(shelf, "label")
                        }
                        val made = KShelf(5, "new")
                        s.add(made)
                        shouldThrow<InvalidRequestException> { s.fetch(made, KShelf::boxes) }
                            .message shouldContain "flush it first"
                        s.rollback()
                    }
                }
            }

            test("a fetch cancelled during its load leaves the session usable") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val shelf = s.get(KShelf::class.java, 2L)!!
                        cancelAtTheInStatement(engine) { s.fetch(shelf, KShelf::boxes) }
                        // The load ran to its end behind the cancelled caller; the next call waits
                        // for it and finds the relationship loaded.
                        ids(s.fetch(shelf, KShelf::boxes)) shouldBe listOf(20L)
                        s.rollback()
                    }
                    engine.core.poolStatus()!!.checkedOut() shouldBe 0
                }
            }

            test("a new object keeps its list until a loader option loads the database's") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val shelf = KShelf(3, "new")
                        shelf.boxes = listOf(KBox(30, 3))
                        s.add(shelf)
                        s.flush()
                        ids(shelf.boxes) shouldBe listOf(30L)
                        // View-only: the box in the list was not written.
                        s.scalar(Sql.text("SELECT count(*) FROM ksil_box WHERE id = 30")).let {
                            (it as Number).toLong()
                        } shouldBe 0L
                        // A box written by its key; a loader option replaces the program's list
                        // with what the database holds.
                        s.add(KBox(31, 3))
                        s.scalars<KShelf>(
                                select<KShelf>()
                                    .where(KShelf::id eq 3L)
                                    .options(selectinload(KShelf::boxes))
                            )
                            .one()
                        ids(shelf.boxes) shouldBe listOf(31L)
                        s.rollback()
                    }
                }
            }

            test("a loaded collection refuses changes") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val shelf =
                            s.scalars<KShelf>(
                                    select<KShelf>()
                                        .where(KShelf::id eq 1L)
                                        .options(selectinload(KShelf::boxes))
                                )
                                .one()!!
                        @Suppress("UNCHECKED_CAST") val asMutable = shelf.boxes as MutableList<KBox>
                        val e = shouldThrow<InvalidRequestException> { asMutable.add(KBox(99)) }
                        e.message shouldContain "KBox.shelfId"
                        s.rollback()
                    }
                }
            }

            test("a query cancelled during its select-in load leaves the session usable") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        cancelAtTheInStatement(engine) {
                            s.scalars<KShelf>(select<KShelf>().options(selectinload(KShelf::boxes)))
                                .all()
                        }
                        // The load ran to its end behind the cancelled caller; the next call waits.
                        val shelf = s.get(KShelf::class.java, 1L)!!
                        ids(shelf.boxes) shouldBe listOf(10L, 11L, 12L)
                        s.rollback()
                    }
                    engine.core.poolStatus()!!.checkedOut() shouldBe 0
                }
            }
        }
    })
