package dev.athanor.coroutines

import dev.athanor.error.AthanorException
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql
import dev.athanor.testkit.TestDatabases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

@Entity(table = "routed_account")
class RoutedAccount(
    @Id var id: Long? = null,
    @Column(length = 30, nullable = false) var owner: String = "",
    var balance: Int = 0,
)

/**
 * Routing against a real PostgreSQL streaming replica (scripts/pg-replica.sh): writes go to the
 * primary, reads to the hot standby, a write shows on the standby once it has caught up, and a read
 * that must see the session's own write is pinned to the primary. Skipped loudly without the pair,
 * required in CI.
 */
class RoutingSpec :
    FunSpec({
        val replica = TestDatabases.replica()
        val registry = Registry()
        registry.map(RoutedAccount::class.java)

        /** Runs [block] with an engine on the primary and one on the standby. */
        suspend fun withPair(block: suspend (leader: AsyncEngine, follower: AsyncEngine) -> Unit) {
            val r = replica!!
            val leader = createAsyncEngine(r.primaryUrl) { poolSize = 2 }
            val follower = createAsyncEngine(r.standbyUrl) { poolSize = 2 }
            try {
                leader.begin { conn ->
                    registry.metadata().dropAll(conn)
                    registry.metadata().createAll(conn)
                }
                awaitOnStandby(follower, "SELECT count(*) FROM routed_account", 0L)
                block(leader, follower)
                awaitPoolQuiet(leader, "leader")
                awaitPoolQuiet(follower, "follower")
            } finally {
                leader.dispose()
                follower.dispose()
            }
        }

        fun routed(leader: AsyncEngine, follower: AsyncEngine) =
            asyncSessionmaker(leader) {
                router = { request -> if (request.isWrite) leader else follower }
            }

        test("the standby is a real hot standby: in recovery, and it refuses writes").config(
            enabled = replica != null
        ) {
            withPair { _, follower ->
                follower.connect { it.scalar(Sql.text("SELECT pg_is_in_recovery()")) } shouldBe true
                val e =
                    shouldThrow<AthanorException> {
                        follower.begin {
                            it.execute(Sql.text("INSERT INTO routed_account VALUES (1, 'x', 0)"))
                        }
                    }
                e.message shouldContain "read-only"
            }
        }

        test(
                "writes go to the primary, reads to the standby, and a write shows there once caught up"
            )
            .config(enabled = replica != null) {
                withPair { leader, follower ->
                    val sessions = routed(leader, follower)
                    sessions.begin { s -> s.add(RoutedAccount(1, "sandy", 10)) }
                    leader.connect {
                        it.scalar(Sql.text("SELECT count(*) FROM routed_account"))
                    } shouldBe 1L
                    awaitOnStandby(follower, "SELECT count(*) FROM routed_account", 1L)
                    sessions().use { s ->
                        s.scalar(Sql.text("SELECT pg_is_in_recovery()")) shouldBe true
                        val a = s.get<RoutedAccount>(1)!!
                        a.owner shouldBe "sandy"
                        s.getBind(RoutedAccount::class.java) shouldBe follower
                    }
                }
            }

        test("an update of a loaded object is flushed to the primary").config(
            enabled = replica != null
        ) {
            withPair { leader, follower ->
                val sessions = routed(leader, follower)
                sessions.begin { s -> s.add(RoutedAccount(1, "sandy", 10)) }
                awaitOnStandby(follower, "SELECT balance FROM routed_account WHERE id = 1", 10)
                sessions.begin { s ->
                    val a = s.get<RoutedAccount>(1)!! // read on the standby
                    a.balance = 25 // written on the primary
                }
                leader.connect {
                    it.scalar(Sql.text("SELECT balance FROM routed_account WHERE id = 1"))
                } shouldBe 25
                awaitOnStandby(follower, "SELECT balance FROM routed_account WHERE id = 1", 25)
                // An ORM bulk update is a write too.
                sessions.begin { s ->
                    s.execute(Sql.update(mapper<RoutedAccount>()).values(mapOf("balance" to 30)))
                }
                leader.connect {
                    it.scalar(Sql.text("SELECT balance FROM routed_account WHERE id = 1"))
                } shouldBe 30
            }
        }

        test("a read that must see the session's own write is pinned to the primary").config(
            enabled = replica != null
        ) {
            withPair { leader, follower ->
                val sessions = routed(leader, follower)
                sessions().use { s ->
                    s.add(RoutedAccount(2, "robin", 5))
                    s.flush() // on the primary, not committed
                    val count = Sql.text("SELECT count(*) FROM routed_account")
                    s.scalar(count) shouldBe 0L // the standby cannot see it
                    val onLeader = ExecutionOptions.DEFAULTS.with(Session.BIND, leader.core)
                    s.execute(count, emptyMap(), onLeader).scalar() shouldBe 1L
                    s.rollback()
                }
                leader.connect {
                    it.scalar(Sql.text("SELECT count(*) FROM routed_account"))
                } shouldBe 0L
            }
        }
    })

/** Waits (bounded) until the standby has replayed far enough for [sql] to give [expected]. */
suspend fun awaitOnStandby(follower: AsyncEngine, sql: String, expected: Any) {
    var last: Any? = null
    try {
        withTimeout(30_000) {
            while (true) {
                last = runCatching { follower.connect { it.scalar(Sql.text(sql)) } }.getOrNull()
                if (last == expected) break
                delay(20)
            }
        }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        throw AssertionError("the standby never gave $expected for $sql (last: $last)")
    }
}
