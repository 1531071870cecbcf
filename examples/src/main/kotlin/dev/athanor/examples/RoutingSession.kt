package dev.athanor.examples

import dev.athanor.coroutines.AsyncEngine
import dev.athanor.coroutines.asyncSessionmaker
import dev.athanor.coroutines.createAsyncEngine
import dev.athanor.coroutines.get
import dev.athanor.coroutines.use
import dev.athanor.session.Column
import dev.athanor.session.Entity
import dev.athanor.session.Id
import dev.athanor.session.Registry
import dev.athanor.session.Session
import dev.athanor.sql.ExecutionOptions
import dev.athanor.sql.Sql
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking

/** An account, written on the leader and read from the followers. */
@Entity(table = "routed_accounts")
class Account(
    @Id var id: Long? = null,
    @Column(length = 30, nullable = false) var owner: String = "",
    var balance: Int = 0,
) {
    override fun toString(): String = "Account(id=$id, owner=$owner, balance=$balance)"
}

private val routingRegistry = Registry().apply { map(Account::class.java) }

/**
 * SQLAlchemy's `RoutingSession` example in Kotlin: a session whose writes (flushes, UPDATE, DELETE,
 * INSERT) go to the leader and whose reads go to a follower, a PostgreSQL hot standby streaming
 * from it. A read that must see the session's own uncommitted write is pinned to the leader.
 *
 * Run `scripts/pg-replica.sh start` first; the arguments are the leader's URL and one or more
 * followers' (by default the pair that script starts).
 */
fun main(args: Array<String>) = runBlocking {
    val leaderUrl = args.getOrNull(0) ?: "postgresql://postgres@127.0.0.1:5491/test"
    val followerUrls = args.drop(1).ifEmpty { listOf("postgresql://postgres@127.0.0.1:5492/test") }
    val leader = createAsyncEngine(leaderUrl)
    val followers = followerUrls.map { createAsyncEngine(it) }
    try {
        leader.begin { conn ->
            conn.runSync { sync ->
                routingRegistry.metadata().dropAll(sync)
                routingRegistry.metadata().createAll(sync)
            }
        }

        // Writes to the leader; reads to a follower chosen at random.
        val sessions =
            asyncSessionmaker(leader) {
                expireOnCommit = false
                router = { request -> if (request.isWrite) leader else followers.random() }
            }

        val id =
            sessions
                .begin { session -> Account(owner = "sandy", balance = 100).also(session::add) }
                .id!!

        // A follower sees the write once it has replayed the leader's WAL up to the commit.
        awaitReplay(leader, followers)

        sessions().use { session ->
            val inRecovery = session.scalar(Sql.text("SELECT pg_is_in_recovery()"))
            println("reads come from a standby: $inRecovery")
            val account = session.get<Account>(id)!!
            println("read on the follower: $account")

            account.balance += 50
            session.flush() // on the leader, not committed yet
            val balance = Sql.text("SELECT balance FROM routed_accounts WHERE id = :id")
            val onFollower = session.scalar(balance, mapOf("id" to id))
            val onLeader =
                session
                    .execute(
                        balance,
                        mapOf("id" to id),
                        ExecutionOptions.DEFAULTS.with(Session.BIND, leader.core),
                    )
                    .scalar()
            println("before commit: follower says $onFollower, leader (pinned) says $onLeader")
            session.commit()
        }
        awaitReplay(leader, followers)
        sessions().use { session ->
            println("after commit, on the follower: ${session.get<Account>(id)}")
        }
    } finally {
        leader.dispose()
        followers.forEach { it.dispose() }
    }
}

/** Waits until every follower has replayed the leader's WAL as far as it goes now. */
private suspend fun awaitReplay(leader: AsyncEngine, followers: List<AsyncEngine>) {
    val lsn = leader.connect { it.scalar(Sql.text("SELECT pg_current_wal_lsn()::text")) }
    for (follower in followers) {
        val caughtUp = Sql.text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)")
        var tries = 0
        while (follower.connect { it.scalar(caughtUp, mapOf("lsn" to lsn)) } != true) {
            check(++tries < 3000) { "the follower did not catch up with the leader in 30 s" }
            delay(10)
        }
    }
}
