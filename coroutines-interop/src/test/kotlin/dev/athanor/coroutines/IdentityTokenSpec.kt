package dev.athanor.coroutines

import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.session.SynchronizeSession
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql
import dev.athanor.testkit.TestDatabases
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.types.shouldBeSameInstanceAs

@Entity(table = "shard_item")
class ShardItem(
    @Id var id: Long? = null,
    @Column(length = 20, nullable = false) var name: String = "",
)

/**
 * Identity tokens (SQLAlchemy's `identity_token`): one session reads rows with the same primary key
 * from two databases (shard "a" on the database under test, shard "b" on an H2 of its own, chosen
 * by a router from the token) and keeps them as distinct objects, finds each by `get` with its
 * token without SQL, writes each object's changes back to the database it came from, and limits a
 * bulk statement's synchronization to its token's objects.
 */
class IdentityTokenSpec :
    FunSpec({
        val registry = Registry()
        val items = registry.map(ShardItem::class.java)

        fun token(t: Any) = ExecutionOptions.DEFAULTS.with(Session.IDENTITY_TOKEN, t)

        suspend fun withShards(
            db: TestDatabases.Db,
            block: suspend (a: AsyncEngine, b: AsyncEngine, maker: AsyncSessionMaker) -> Unit,
        ) {
            withEngine(db, { poolSize = 2 }) { a ->
                withEngine(TestDatabases.Db("h2", TestDatabases.freshH2Url()), { poolSize = 2 }) { b
                    ->
                    for ((engine, name) in listOf(a to "on a", b to "on b")) {
                        engine.begin { conn ->
                            registry.metadata().dropAll(conn)
                            registry.metadata().createAll(conn)
                            conn.execute(
                                Sql.insert(registry.metadata().table("shard_item")),
                                listOf(
                                    mapOf("id" to 1L, "name" to "one $name"),
                                    mapOf("id" to 2L, "name" to "two $name"),
                                ),
                            )
                        }
                    }
                    val maker =
                        asyncSessionmaker(a) {
                            router = { request ->
                                when (request.identityToken()) {
                                    "b" -> b
                                    else -> a
                                }
                            }
                        }
                    block(a, b, maker)
                    awaitPoolQuiet(a, "shard a")
                    awaitPoolQuiet(b, "shard b")
                }
            }
        }

        suspend fun nameIn(engine: AsyncEngine, id: Long): String? = engine.connect {
            it.scalar(Sql.text("SELECT name FROM shard_item WHERE id = $id")) as String?
        }

        eachDatabase { db ->
            test("rows with one key from two tokens are two objects, each found again by get") {
                withShards(db) { _, _, maker ->
                    maker().use { s ->
                        val fromA =
                            s.scalars<ShardItem>(
                                    Sql.select(ShardItem::class.java)
                                        .where(ShardItem::id eq 1L)
                                        .executionOptions(token("a"))
                                )
                                .one()!!
                        val fromB =
                            s.scalars<ShardItem>(
                                    Sql.select(ShardItem::class.java)
                                        .where(ShardItem::id eq 1L)
                                        .executionOptions(token("b"))
                                )
                                .one()!!
                        fromA shouldNotBe fromB
                        fromA.name shouldBe "one on a"
                        fromB.name shouldBe "one on b"
                        s.inspect(fromA).identityToken() shouldBe "a"
                        s.identityKey(fromB) shouldBe s.identityKey<ShardItem>(1L, "b")
                        s.identityKey(fromB).toString() shouldBe "ShardItem[1]@b"
                        // The identity map answers get() with the token, without SQL.
                        val echo = captureEcho {
                            s.get(ShardItem::class.java, 1L, token("b")) shouldBeSameInstanceAs
                                fromB
                            s.get(ShardItem::class.java, 1L, token("a")) shouldBeSameInstanceAs
                                fromA
                        }
                        echo shouldBe emptyList()
                        // Without a token it is a third identity, loaded from the default bind.
                        val plain = s.get<ShardItem>(1L)!!
                        plain shouldNotBe fromA
                        s.inspect(plain).identityToken() shouldBe null
                        s.identityKey(plain) shouldBe s.identityKey(ShardItem::class.java, 1L)
                    }
                }
            }

            test("get with a token loads from the token's database and keys the object by it") {
                withShards(db) { _, _, maker ->
                    maker().use { s ->
                        val b = s.get(ShardItem::class.java, 2L, token("b"))!!
                        b.name shouldBe "two on b"
                        s.identityKey(b) shouldBe s.identityKey<ShardItem>(2L, "b")
                        s.get(ShardItem::class.java, 3L, token("b")) shouldBe null
                    }
                }
            }

            test("a flush writes each object's UPDATE and DELETE to the database it came from") {
                withShards(db) { a, b, maker ->
                    maker().use { s ->
                        val fromA = s.get(ShardItem::class.java, 1L, token("a"))!!
                        val fromB = s.get(ShardItem::class.java, 1L, token("b"))!!
                        val twoB = s.get(ShardItem::class.java, 2L, token("b"))!!
                        fromA.name = "changed on a"
                        fromB.name = "changed on b"
                        s.delete(twoB)
                        s.commit()
                    }
                    nameIn(a, 1L) shouldBe "changed on a"
                    nameIn(b, 1L) shouldBe "changed on b"
                    nameIn(a, 2L) shouldBe "two on a"
                    nameIn(b, 2L) shouldBe null
                }
            }

            test("refresh reloads an object from its token's database") {
                withShards(db) { _, b, maker ->
                    maker().use { s ->
                        val fromB = s.get(ShardItem::class.java, 1L, token("b"))!!
                        b.begin { it.execute(Sql.text("UPDATE shard_item SET name = 'moved'")) }
                        s.refresh(fromB)
                        fromB.name shouldBe "moved"
                        s.inspect(fromB).identityToken() shouldBe "b"
                    }
                }
            }

            test("a bulk update with a token synchronizes only that token's objects") {
                withShards(db) { a, b, maker ->
                    maker().use { s ->
                        val fromA = s.get(ShardItem::class.java, 1L, token("a"))!!
                        val fromB = s.get(ShardItem::class.java, 1L, token("b"))!!
                        s.execute(
                            Sql.update(items)
                                .where(ShardItem::id eq 1L)
                                .values(mapOf("name" to "bulk"))
                                .executionOptions(
                                    token("b")
                                        .with(
                                            Session.SYNCHRONIZE_SESSION,
                                            SynchronizeSession.EVALUATE,
                                        )
                                )
                        )
                        fromB.name shouldBe "bulk"
                        fromA.name shouldBe "one on a"
                        s.isModified(fromA) shouldBe false
                        s.commit()
                    }
                    nameIn(b, 1L) shouldBe "bulk"
                    nameIn(a, 1L) shouldBe "one on a"
                }
            }

            test("a bulk update with a token synchronized by fetch touches only that token") {
                withShards(db) { a, b, maker ->
                    maker().use { s ->
                        val fromA = s.get(ShardItem::class.java, 2L, token("a"))!!
                        val fromB = s.get(ShardItem::class.java, 2L, token("b"))!!
                        s.execute(
                            Sql.update(items)
                                .where(ShardItem::id eq 2L)
                                .values(mapOf("name" to "fetched"))
                                .executionOptions(
                                    token("a")
                                        .with(Session.SYNCHRONIZE_SESSION, SynchronizeSession.FETCH)
                                )
                        )
                        fromA.name shouldBe "fetched"
                        fromB.name shouldBe "two on b"
                        s.commit()
                    }
                    nameIn(a, 2L) shouldBe "fetched"
                    nameIn(b, 2L) shouldBe "two on b"
                }
            }

            test("objects of both tokens stay distinct through a query of each, then expire") {
                withShards(db) { _, b, maker ->
                    maker().use { s ->
                        val all =
                            s.scalars<ShardItem>(
                                    Sql.select(ShardItem::class.java).executionOptions(token("b"))
                                )
                                .all()
                                .filterNotNull()
                        all.map { it.name } shouldContainExactlyInAnyOrder
                            listOf("one on b", "two on b")
                        b.begin { it.execute(Sql.text("UPDATE shard_item SET name = 'later'")) }
                        s.commit() // expires every object
                        val again = s.get(ShardItem::class.java, 1L, token("b"))!!
                        again shouldBeSameInstanceAs all.first { it.id == 1L }
                        again.name shouldBe "later"
                    }
                }
            }
        }
    })
