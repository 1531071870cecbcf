package dev.athanor.coroutines

import dev.athanor.error.IntegrityException
import dev.athanor.error.InvalidRequestException
import dev.athanor.error.MappingException
import dev.athanor.error.NoResultFoundException
import dev.athanor.error.PendingRollbackException
import dev.athanor.error.StaleDataException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.InstanceState.Status
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.session.Version
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Func
import dev.athanor.sql.Sql
import dev.athanor.sql.Sql.column
import dev.athanor.sql.Types
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.flow.toList

@Entity(table = "orm_users")
class OrmUser(
    @Id var id: Long? = null,
    @Column(length = 30, nullable = false, unique = true) var name: String = "",
    var fullname: String? = null,
    @Column(length = 10, serverDefault = "'active'") var status: String? = null,
    @Version var version: Int? = null,
)

@Entity(table = "orm_pairs")
class OrmPair(
    @Id var left: Int = 0,
    @Id var right: String = "",
    var label: String? = null,
)

@Entity(table = "orm_lazy_defaults", eagerDefaults = false)
class LazyDefault(
    @Id var id: Long? = null,
    @Column(length = 10, serverDefault = "'fresh'") var state: String? = null,
)

/** Mapped onto a Core table of its own (imperative mapping). */
class OrmNote(var id: Int? = null, var body: String? = null)

class NoKey(var name: String? = null)

@Entity class NoKeyEntity(var name: String? = null)

@Entity class WithFinal(@Id var id: Int? = null, val fixed: String = "x")

@Entity class NoConstructor(@Id var id: Int?, var name: String?)

@Entity class Unmappable(@Id var id: Int? = null, var when_: java.time.Year? = null)

/** The ORM session through the Kotlin face, on H2 and PostgreSQL. */
class SessionSpec :
    FunSpec({
        val registry = Registry()
        registry.map(OrmUser::class.java)
        registry.map(OrmPair::class.java)
        registry.map(LazyDefault::class.java)
        val notes =
            registry
                .metadata()
                .table(
                    "orm_notes",
                    column("id", Types.INTEGER).primaryKey(),
                    column("body", Types.TEXT),
                )
        registry.mapImperatively(OrmNote::class.java, notes)

        suspend fun fresh(engine: AsyncEngine) {
            engine.begin { conn ->
                registry.metadata().dropAll(conn)
                registry.metadata().createAll(conn)
            }
        }

        suspend fun seed(engine: AsyncEngine): List<Long> =
            AsyncSession(engine).use { s ->
                val users = listOf("sandy", "patrick", "squidward").map { OrmUser(name = it) }
                s.addAll(users)
                s.commit()
                users.map { it.id!! }
            }

        test("mapping errors name the class, the field and the fix, when the class is mapped") {
            val r = Registry()
            shouldThrow<MappingException> { r.map(NoKey::class.java) }.message shouldContain
                "@Entity"
            shouldThrow<MappingException> { r.map(NoKeyEntity::class.java) }.message shouldContain
                "no primary key"
            shouldThrow<MappingException> { r.map(WithFinal::class.java) }.message shouldContain
                "WithFinal.fixed is final"
            shouldThrow<MappingException> { r.map(NoConstructor::class.java) }.message shouldContain
                "no constructor without parameters"
            shouldThrow<MappingException> { r.map(Unmappable::class.java) }.message shouldContain
                "Unmappable.when_ is a java.time.Year"
            shouldThrow<MappingException> { r.map(OrmUser::class.java) }.message shouldContain
                "already mapped"
            shouldThrow<MappingException> { Registry.mapperOf(NoKey::class.java) }
                .message shouldContain "is not mapped"
            shouldThrow<MappingException> { mapper<OrmUser>().attribute<String>("nope") }
                .message shouldContain "[id, name, fullname, status, version]"
        }

        test("mapped classes and property references compile to the Core's SQL") {
            val users = registry.metadata().table("orm_users")
            val orm = select<OrmUser>().where(OrmUser::name eq "sandy").orderBy(OrmUser::id.asc())
            val core =
                Sql.select(*users.columns().toTypedArray())
                    .where(users.c<String>("name").eq("sandy"))
                    .orderBy(users.c<Long>("id").asc())
            orm.compile(dev.athanor.sql.Dialect.POSTGRESQL).sql() shouldBe
                core.compile(dev.athanor.sql.Dialect.POSTGRESQL).sql()
            // Mixed with Core functions.
            Sql.select(Func.count(OrmUser::id.attribute))
                .compile(dev.athanor.sql.Dialect.POSTGRESQL)
                .sql() shouldBe "SELECT count(orm_users.id) FROM orm_users"
        }

        eachDatabase { db ->
            test("expireAll marks every object; the next reach reloads each in place") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    AsyncSession(engine).use { s ->
                        val users = ids.map { s.get<OrmUser>(it)!! }
                        engine.begin { c ->
                            c.execute(Sql.text("UPDATE orm_users SET fullname = 'elsewhere'"))
                        }
                        users[0].fullname shouldBe null
                        s.expireAll()
                        users.all { s.inspect(it).isExpired } shouldBe true
                        // No IO on a field read: the old value stays until a reach reloads it.
                        users[0].fullname shouldBe null
                        s.scalars<OrmUser>(select<OrmUser>()).all()
                        users.map { it.fullname } shouldBe
                            listOf("elsewhere", "elsewhere", "elsewhere")
                        users.any { s.inspect(it).isExpired } shouldBe false
                    }
                }
            }

            test("expunge detaches one object, expungeAll every object; neither is flushed") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    AsyncSession(engine).use { s ->
                        val a = s.get<OrmUser>(ids[0])!!
                        val b = s.get<OrmUser>(ids[1])!!
                        s.expunge(a)
                        s.contains(a) shouldBe false
                        s.inspect(a).status() shouldBe Status.DETACHED
                        a.fullname = "not written"
                        s.get<OrmUser>(ids[0]) shouldNotBe null
                        (s.get<OrmUser>(ids[0]) === a) shouldBe false
                        // Added after the gets (whose autoflush would have inserted it).
                        val added = OrmUser(name = "gary")
                        s.add(added)
                        s.expungeAll()
                        s.contains(b) shouldBe false
                        s.inspect(added).status() shouldBe Status.TRANSIENT
                        s.new.isEmpty() shouldBe true
                        s.commit()
                        // A detached object comes back with add().
                        s.add(b)
                        s.inspect(b).status() shouldBe Status.PERSISTENT
                    }
                    engine.connect { c ->
                        c.scalar(
                                Sql.text(
                                    "SELECT count(*) FROM orm_users WHERE fullname = 'not written'"
                                )
                            )
                            .toString() shouldBe "0"
                        c.scalar(Sql.text("SELECT count(*) FROM orm_users WHERE name = 'gary'"))
                            .toString() shouldBe "0"
                    }
                }
            }

            test("add and commit: one multi-row INSERT brings back keys and server defaults") {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        fresh(engine)
                        AsyncSession(engine).use { s ->
                            val users =
                                listOf(
                                    OrmUser(name = "sandy"),
                                    OrmUser(name = "patrick", status = "away"),
                                    OrmUser(name = "squidward"),
                                )
                            s.addAll(users)
                            s.new.size shouldBe 3
                            s.inspect(users[0]).status() shouldBe Status.PENDING
                            s.commit()
                            users.map { it.id }.toSet().size shouldBe 3
                            users.map { it.id!! } shouldBe users.map { it.id!! }.sorted()
                            users.map { it.status } shouldBe listOf("active", "away", "active")
                            users.map { it.version } shouldBe listOf(1, 1, 1)
                            s.inspect(users[0]).status() shouldBe Status.PERSISTENT
                            s.inspect(users[0]).isExpired shouldBe true
                        }
                    }
                }
                // patrick gives a status the others leave to the server: three runs of the same
                // columns, in the order of add().
                lines.count { it.contains("INSERT INTO orm_users") } shouldBe 3
            }

            test("identity map: one object per row, get without SQL, pending changes kept") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    AsyncSession(engine).use { s ->
                        val a = s.get<OrmUser>(ids[0])!!
                        val b = s.get<OrmUser>(ids[0].toInt())!! // an Int finds the Long key
                        b shouldBeSameInstanceAs a
                        val all =
                            s.scalars<OrmUser>(select<OrmUser>().orderBy(OrmUser::id.asc())).all()
                        all[0] shouldBeSameInstanceAs a
                        a.name = "changed"
                        s.noAutoflush { s.dirty.size } shouldBe 1
                        s.execute(
                            select<OrmUser>(),
                            options = ExecutionOptions.DEFAULTS.with(Session.AUTOFLUSH, false),
                        )
                        a.name shouldBe "changed"
                        s.execute(
                            select<OrmUser>().where(OrmUser::id eq ids[0]),
                            options =
                                ExecutionOptions.DEFAULTS.with(Session.AUTOFLUSH, false)
                                    .with(Session.POPULATE_EXISTING, true),
                        )
                        a.name shouldBe "sandy"
                        s.get<OrmUser>(999_999L) shouldBe null
                        shouldThrow<NoResultFoundException> {
                            s.getOne(OrmUser::class.java, 999_999L)
                        }
                    }
                }
            }

            test("eagerDefaults off: the flush leaves server defaults to the next load") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        val lazy = LazyDefault()
                        val given = LazyDefault(state = "given")
                        s.addAll(listOf(lazy, given))
                        s.flush()
                        lazy.id shouldNotBe null // keys are always read back
                        lazy.state shouldBe null // not read back
                        s.inspect(lazy).expiredAttributes() shouldBe setOf("state")
                        s.inspect(given).isExpired shouldBe false
                        s.isModified(lazy) shouldBe false
                        s.get<LazyDefault>(lazy.id!!) // reaches it: loads the default
                        lazy.state shouldBe "fresh"
                        given.state shouldBe "given"
                        s.commit()
                    }
                }
            }

            test("getLoaded answers from the identity map only, as a plain call") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    AsyncSession(engine).use { s ->
                        s.getLoaded(OrmUser::class.java, ids[0]) shouldBe null // not loaded yet
                        val sandy = s.get<OrmUser>(ids[0])!!
                        s.getLoaded(OrmUser::class.java, ids[0]) shouldBeSameInstanceAs sandy
                        s.getLoaded(OrmUser::class.java, ids[0].toInt()) shouldBeSameInstanceAs
                            sandy // the key's column type decides, as for get
                        s.expire(sandy)
                        s.getLoaded(OrmUser::class.java, ids[0]) shouldBe
                            null // expired: get reloads
                        s.getLoaded(OrmUser::class.java, listOf(1, 2)) shouldBe null // wrong arity
                        shouldThrow<InvalidRequestException> { s.get<OrmUser>(listOf(1, 2)) }
                        // A key of the wrong type is refused by name before any SQL.
                        val wrong = shouldThrow<InvalidRequestException> { s.get<OrmUser>("sandy") }
                        wrong.message shouldContain "OrmUser's primary key id is a Long"
                        wrong.message shouldContain "Pass a Long"
                        s.getLoaded(OrmUser::class.java, "sandy") shouldBe null
                        shouldThrow<InvalidRequestException> {
                            s.identityKey(OrmUser::class.java, "sandy")
                        }
                        s.getLoaded(NoKey::class.java, 1) shouldBe null // unmapped: get raises
                    }
                }
            }

            test("get of a loaded object does no SQL; an expired one is reloaded in place") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    val statements = java.util.concurrent.atomic.AtomicInteger()
                    engine.events.add(
                        object : dev.athanor.engine.EngineListener {
                            override fun beforeExecute(ctx: dev.athanor.engine.ExecuteContext) {
                                statements.incrementAndGet()
                            }
                        }
                    )
                    AsyncSession(engine).use { s ->
                        val a = s.get<OrmUser>(ids[1])!!
                        val before = statements.get()
                        s.get<OrmUser>(ids[1]) shouldBeSameInstanceAs a
                        s.get<OrmUser>(ids[1]) shouldBeSameInstanceAs a
                        statements.get() shouldBe before
                        // Someone else changes the row; expiry keeps the old value until a reload.
                        engine.begin { c ->
                            c.execute(
                                Sql.text(
                                    "UPDATE orm_users SET fullname = 'Patrick Star' WHERE id = :id"
                                ),
                                mapOf("id" to ids[1]),
                            )
                        }
                        s.expire(a)
                        a.fullname shouldBe null
                        s.inspect(a).isExpired shouldBe true
                        val reloads = statements.get()
                        s.get<OrmUser>(ids[1]) shouldBeSameInstanceAs a
                        statements.get() shouldBe reloads + 1
                        a.fullname shouldBe "Patrick Star"
                        s.inspect(a).isExpired shouldBe false
                    }
                }
            }

            test("change tracking: UPDATE sets only the changed columns and checks the version") {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        fresh(engine)
                        val ids = seed(engine)
                        AsyncSession(engine).use { s ->
                            val users = ids.map { s.get<OrmUser>(it)!! }
                            users[0].fullname = "Sandy Cheeks"
                            users[1].fullname = "Patrick Star"
                            s.isModified(users[0]) shouldBe true
                            s.isModified(users[2]) shouldBe false
                            s.dirty.size shouldBe 2
                            s.inspect(users[0]).modifiedAttributes() shouldBe setOf("fullname")
                            s.inspect(users[0]).committedValue("fullname") shouldBe null
                            s.commit()
                            users[0].version shouldBe 2
                            users[2].version shouldBe 1
                        }
                        AsyncSession(engine).use { s ->
                            s.get<OrmUser>(ids[0])!!.fullname shouldBe "Sandy Cheeks"
                        }
                    }
                }
                val updates = lines.filter { it.contains("UPDATE orm_users") }
                updates.size shouldBe 1 // both rows in one executemany
                updates[0] shouldContain "SET fullname = "
                Regex("[ ,]name = ").containsMatchIn(updates[0]) shouldBe false
            }

            test("a stale version fails the flush with StaleDataException; rollback() is needed") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    val s1 = AsyncSession(engine)
                    val s2 = AsyncSession(engine)
                    val a1 = s1.get<OrmUser>(ids[0])!!
                    val a2 = s2.get<OrmUser>(ids[0])!!
                    a1.fullname = "first"
                    s1.commit()
                    a2.fullname = "second"
                    val e = shouldThrow<StaleDataException> { s2.commit() }
                    e.message shouldContain "OrmUser [${ids[0]}] with version 1"
                    // The object is as it was before the flush.
                    a2.fullname shouldBe "second"
                    a2.version shouldBe 1
                    s2.isActive shouldBe false
                    shouldThrow<PendingRollbackException> { s2.get<OrmUser>(ids[1]) }
                        .message shouldContain "Call rollback()"
                    s2.rollback()
                    s2.isActive shouldBe true
                    s2.get<OrmUser>(ids[0])!!.fullname shouldBe "first"
                    s1.close()
                    s2.close()
                    engine.connect {
                        it.scalar(Sql.text("SELECT fullname FROM orm_users WHERE id = ${ids[0]}"))
                    } shouldBe "first"
                }
            }

            test("a failed flush leaves objects as they were; rollback expunges the new ones") {
                withEngine(db) { engine ->
                    fresh(engine)
                    seed(engine)
                    AsyncSession(engine).use { s ->
                        val dup = OrmUser(name = "sandy")
                        val ok = OrmUser(name = "gary")
                        s.addAll(listOf(ok, dup))
                        shouldThrow<IntegrityException> { s.flush() }
                        s.inspect(dup).status() shouldBe Status.PENDING
                        dup.id shouldBe null
                        ok.id shouldBe null
                        shouldThrow<PendingRollbackException> { s.flush() }
                        s.rollback()
                        s.inspect(dup).status() shouldBe Status.TRANSIENT
                        (dup in s) shouldBe false
                        s.scalar(Sql.select(Func.count()).selectFrom(mapper<OrmUser>())) shouldBe 3L
                    }
                }
            }

            test(
                "delete: an IN list for a single key, by key otherwise; detached after commit; rollback undoes it"
            ) {
                val lines = captureEcho {
                    withEngine(db, { echo = true }) { engine ->
                        fresh(engine)
                        val ids = seed(engine)
                        AsyncSession(engine).use { s ->
                            val pairs = (1..3).map { OrmPair(it, "r$it", "p$it") }
                            s.addAll(pairs)
                            s.flush()
                            pairs.forEach { s.delete(it) }
                            s.deleted.size shouldBe 3
                            s.commit()
                            s.inspect(pairs[0]).status() shouldBe Status.DETACHED
                            s.scalar(
                                Sql.select(Func.count()).selectFrom(mapper<OrmPair>())
                            ) shouldBe 0L
                            // A single key without a version: one IN list.
                            val gone = listOf(OrmNote(1, "a"), OrmNote(2, "b"), OrmNote(3, "c"))
                            s.addAll(gone)
                            s.flush()
                            s.delete(gone[0])
                            s.delete(gone[2])
                            s.flush()
                            s.scalar(
                                Sql.select(Func.count()).selectFrom(mapper<OrmNote>())
                            ) shouldBe 1L
                            // A versioned class deletes by key and version.
                            val u = s.get<OrmUser>(ids[2])!!
                            s.delete(u)
                            s.flush()
                            s.inspect(u).status() shouldBe Status.DELETED
                            s.rollback()
                            s.inspect(u).status() shouldBe Status.PERSISTENT
                            s.get<OrmUser>(ids[2]) shouldBeSameInstanceAs u
                        }
                    }
                }
                io.kotest.assertions.withClue(lines.filter { it.contains("DELETE") }) {
                    lines.any {
                        it.contains("DELETE FROM orm_notes WHERE orm_notes.id IN (\$1, \$2)")
                    } shouldBe true
                    // A composite key is deleted by key: all rows in one executemany.
                    lines.count {
                        it.contains("DELETE FROM orm_pairs WHERE orm_pairs.\"left\" = \$1 AND")
                    } shouldBe 1
                }
            }

            test("composite keys and an imperatively mapped class on a shared MetaData") {
                withEngine(db) { engine ->
                    fresh(engine)
                    AsyncSession(engine).use { s ->
                        s.add(OrmPair(1, "a", "one"))
                        s.add(OrmNote(7, "note"))
                        s.commit()
                        s.get<OrmPair>(listOf(1, "a"))!!.label shouldBe "one"
                        s.get<OrmPair>(listOf(1, "b")) shouldBe null
                        shouldThrow<InvalidRequestException> { s.get<OrmPair>(1) }
                            .message shouldContain "Pass a List for a composite key"
                        s.get<OrmNote>(7)!!.body shouldBe "note"
                        val rows =
                            s.execute(Sql.select(mapper<OrmNote>(), OrmPair::label.attribute)).all()
                        rows.size shouldBe 1
                        (rows[0]!!.get(0) as OrmNote).body shouldBe "note"
                        rows[0]!!.get(1) shouldBe "one"
                    }
                }
            }

            test("rollback removes what was added and expires the rest; close detaches") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    val s = AsyncSession(engine)
                    val sandy = s.get<OrmUser>(ids[0])!!
                    val gary = OrmUser(name = "gary")
                    s.add(gary)
                    s.flush()
                    gary.id shouldNotBe null
                    s.inTransaction() shouldBe true
                    s.rollback()
                    s.inTransaction() shouldBe false
                    (gary in s) shouldBe false
                    s.inspect(sandy).isExpired shouldBe true
                    s.close()
                    s.inspect(sandy).status() shouldBe Status.DETACHED
                    engine.connect {
                        it.scalar(Sql.text("SELECT count(*) FROM orm_users WHERE name = 'gary'"))
                    } shouldBe 0L
                }
            }

            test("expiry: changes after it are kept and flushed, changes before it are discarded") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    AsyncSession(engine).use { s ->
                        val u = s.get<OrmUser>(ids[0])!!
                        s.commit() // expires u
                        s.inspect(u).isExpired shouldBe true
                        u.name shouldBe "sandy" // still readable, no IO
                        u.fullname = "after expiry"
                        s.isModified(u) shouldBe true
                        s.commit()
                        engine.connect {
                            it.scalar(
                                Sql.text("SELECT fullname FROM orm_users WHERE id = ${ids[0]}")
                            )
                        } shouldBe "after expiry"
                        // A query reaching an expired object reloads it, keeping later changes.
                        u.name = "renamed"
                        s.scalars<OrmUser>(select<OrmUser>().where(OrmUser::id eq ids[0]))
                            .one() shouldBeSameInstanceAs u
                        u.name shouldBe "renamed"
                        u.fullname shouldBe "after expiry"
                        s.rollback()
                        // Before expiry: discarded by the reload.
                        u.fullname = "draft"
                        s.expire(u)
                        s.isModified(u) shouldBe false
                        s.refresh(u)
                        u.fullname shouldBe "after expiry"
                        u.name shouldBe "sandy"
                    }
                }
            }

            test("stream: objects of the identity map, made a fetched batch at a time") {
                withEngine(db) { engine ->
                    fresh(engine)
                    seed(engine)
                    AsyncSession(engine).use { s ->
                        s.addAll((1..247).map { OrmUser(name = "u$it") })
                        val first = s.get<OrmUser>(1L)!! // autoflushed, then loaded
                        val stream =
                            s.stream(
                                select<OrmUser>().orderBy(OrmUser::id.asc()),
                                options = ExecutionOptions.DEFAULTS.yieldPer(40),
                            )
                        val users = stream.scalars<OrmUser>().asFlow().toList()
                        users.size shouldBe 250
                        users[0] shouldBeSameInstanceAs first
                        s.get<OrmUser>(users[100].id!!) shouldBeSameInstanceAs users[100]
                        val scalars =
                            s.streamScalars<OrmUser>(select<OrmUser>().where(OrmUser::id le 3L))
                        scalars.all().map { it.name } shouldBe
                            listOf("sandy", "patrick", "squidward")
                    }
                }
            }

            test("stream with releaseStreamed keeps one batch of objects in the session") {
                withEngine(db) { engine ->
                    fresh(engine)
                    seed(engine)
                    AsyncSession(engine).use { s ->
                        s.addAll((1..247).map { OrmUser(name = "u$it") })
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        val first = s.get<OrmUser>(1L)!! // held before the stream: stays
                        val seen = mutableListOf<OrmUser>()
                        s.stream(
                                select<OrmUser>().orderBy(OrmUser::id.asc()),
                                options =
                                    ExecutionOptions.DEFAULTS.yieldPer(40)
                                        .with(Session.RELEASE_STREAMED, true),
                            )
                            .scalars<OrmUser>()
                            .asFlow()
                            .collect { u ->
                                if (u.name == "u50") u.fullname = "changed while streaming"
                                seen += u
                            }
                        seen.size shouldBe 250
                        seen[0] shouldBeSameInstanceAs first
                        (first in s) shouldBe true
                        val early = seen[10]
                        (early in s) shouldBe false
                        AsyncSession.objectSession(early) shouldBe null
                        val changed = seen.single { it.name == "u50" }
                        (changed in s) shouldBe true // changed: kept, and flushed
                        // first, changed, and the last batches: at most two of 40 rows.
                        seen.count { it in s } shouldBeInRange (2 + 10)..(2 + 80)
                        s.commit()
                    }
                    AsyncSession(engine).use { s ->
                        s.scalars<OrmUser>(select<OrmUser>().where(OrmUser::name eq "u50"))
                            .one()!!
                            .fullname shouldBe "changed while streaming"
                    }
                }
            }

            test("merge: a detached object's state onto the session's object of its identity") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    val detached = AsyncSession(engine).use { it.get<OrmUser>(ids[0])!! }
                    detached.fullname = "merged"
                    AsyncSession(engine).use { s ->
                        val loaded = s.get<OrmUser>(ids[1])!!
                        val merged = s.merge(detached)
                        (merged === detached) shouldBe false
                        merged.fullname shouldBe "merged"
                        s.isModified(merged) shouldBe true
                        // Merging onto an object already in the identity map updates it in place.
                        val twin =
                            OrmUser(id = ids[1], name = "patrick", fullname = "twin", version = 1)
                        s.merge(twin) shouldBeSameInstanceAs loaded
                        loaded.fullname shouldBe "twin"
                        // No identity: a new pending copy.
                        val fresh = s.merge(OrmUser(name = "plankton"))
                        s.inspect(fresh).status() shouldBe Status.PENDING
                        // load = false: no SQL, the copy starts clean.
                        val clean =
                            s.merge(
                                OrmUser(id = ids[2], name = "squidward", version = 1),
                                load = false,
                            )
                        s.isModified(clean) shouldBe false
                        s.commit()
                    }
                    engine.connect {
                        it.scalar(
                            Sql.text(
                                "SELECT count(*) FROM orm_users WHERE fullname IN ('merged', 'twin')"
                            )
                        )
                    } shouldBe 2L
                    engine.connect {
                        it.scalar(Sql.text("SELECT count(*) FROM orm_users"))
                    } shouldBe 4L
                }
            }

            test("a session refuses a second concurrent caller") {
                withEngine(db) { engine ->
                    fresh(engine)
                    val ids = seed(engine)
                    val s = AsyncSession(engine)
                    val slow =
                        if (db.isPostgres) Sql.text("SELECT pg_sleep(0.5)")
                        else
                            Sql.text(
                                "SELECT count(*) FROM SYSTEM_RANGE(1, 3000) a, SYSTEM_RANGE(1, 3000) b"
                            )
                    val running = s.core.execute(slow).toFuture()
                    shouldThrow<InvalidRequestException> { s.add(OrmUser(name = "x")) }
                        .message shouldContain "one flow of control at a time"
                    shouldThrow<InvalidRequestException> { s.get<OrmUser>(ids[0]) }
                    running.get()
                    s.get<OrmUser>(ids[0]) shouldNotBe null
                    s.close()
                }
            }
        }
    })
