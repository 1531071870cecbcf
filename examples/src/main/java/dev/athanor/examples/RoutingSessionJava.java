package dev.athanor.examples;

import dev.athanor.engine.EngineOptions;
import dev.athanor.java.AsyncEngine;
import dev.athanor.java.AsyncSession;
import dev.athanor.java.AsyncSessionMaker;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.Registry;
import dev.athanor.session.Session;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Sql;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SQLAlchemy's {@code RoutingSession} example in Java over {@code CompletionStage}s: a session
 * whose writes (flushes, INSERT, UPDATE, DELETE) go to the leader and whose reads go to a follower,
 * a PostgreSQL hot standby streaming from it. A read that must see the session's own uncommitted
 * write is pinned to the leader.
 *
 * <p>Run {@code scripts/pg-replica.sh start} first; the arguments are the leader's URL and one or
 * more followers' (by default the pair that script starts).
 */
public final class RoutingSessionJava {
  /** An account, written on the leader and read from the followers. */
  @Entity(table = "routed_accounts_java")
  public static final class Account {
    @Id private Long id;

    @Column(length = 30, nullable = false)
    private String owner;

    private int balance;

    private Account() {}

    Account(String owner, int balance) {
      this.owner = owner;
      this.balance = balance;
    }

    @Override
    public String toString() {
      return "Account(id=" + id + ", owner=" + owner + ", balance=" + balance + ")";
    }
  }

  private static final Registry REGISTRY = new Registry();

  static {
    REGISTRY.map(Account.class);
  }

  private RoutingSessionJava() {}

  /** Runs the example. */
  public static void main(String[] args) {
    String leaderUrl = args.length > 0 ? args[0] : "postgresql://postgres@127.0.0.1:5491/test";
    List<String> followerUrls =
        args.length > 1
            ? Arrays.asList(args).subList(1, args.length)
            : List.of("postgresql://postgres@127.0.0.1:5492/test");
    AsyncEngine leader = AsyncEngine.create(leaderUrl, EngineOptions.defaults());
    List<AsyncEngine> followers =
        followerUrls.stream().map(u -> AsyncEngine.create(u, EngineOptions.defaults())).toList();
    try {
      // Writes to the leader; reads to a follower chosen at random.
      AsyncSessionMaker sessions =
          AsyncSessionMaker.of(leader, false, true)
              .router(request ->
                  request.isWrite()
                      ? leader
                      : followers.get(ThreadLocalRandom.current().nextInt(followers.size())));
      Account account = new Account("sandy", 100);
      leader
          .begin(conn ->
              conn.dropAll(REGISTRY.metadata())
                  .thenCompose(v -> conn.createAll(REGISTRY.metadata())))
          .thenCompose(v ->
              sessions.begin(session -> {
                session.add(account);
                return session.flush();
              }))
          .thenCompose(v -> awaitReplay(leader, followers))
          .thenCompose(v -> readAndWrite(sessions, leader, account.id))
          .thenCompose(v -> awaitReplay(leader, followers))
          .thenCompose(v -> {
            AsyncSession session = sessions.create();
            return session
                .get(Account.class, account.id)
                .thenAccept(a -> System.out.println("after commit, on the follower: " + a))
                .whenComplete((x, e) -> session.close());
          })
          .toCompletableFuture()
          .join();
    } finally {
      leader.dispose().toCompletableFuture().join();
      followers.forEach(f -> f.dispose().toCompletableFuture().join());
    }
  }

  /** Reads on a follower, writes on the leader, and reads the own write back pinned to it. */
  private static CompletionStage<Void> readAndWrite(
      AsyncSessionMaker sessions, AsyncEngine leader, long id) {
    AsyncSession session = sessions.create();
    var balance = Sql.text("SELECT balance FROM routed_accounts_java WHERE id = :id");
    Map<String, Object> params = Map.of("id", id);
    return session
        .scalar(Sql.text("SELECT pg_is_in_recovery()"))
        .thenAccept(r -> System.out.println("reads come from a standby: " + r))
        .thenCompose(v -> session.get(Account.class, id))
        .thenCompose(a -> {
          System.out.println("read on the follower: " + a);
          a.balance += 50;
          return session.flush(); // on the leader, not committed yet
        })
        .thenCompose(v -> session.scalar(balance, params))
        .thenCompose(onFollower ->
            session
                .execute(
                    balance, params, ExecutionOptions.DEFAULTS.with(Session.BIND, leader.core()))
                .thenAccept(r ->
                    System.out.println(
                        "before commit: follower says "
                            + onFollower
                            + ", leader (pinned) says "
                            + r.scalar())))
        .thenCompose(v -> session.commit())
        .whenComplete((v, e) -> session.close());
  }

  /** Completes when every follower has replayed the leader's WAL as far as it goes now. */
  private static CompletionStage<Void> awaitReplay(
      AsyncEngine leader, List<AsyncEngine> followers) {
    return leader
        .connect(c -> c.scalar(Sql.text("SELECT pg_current_wal_lsn()::text")))
        .thenCompose(lsn -> {
          CompletionStage<Void> all = java.util.concurrent.CompletableFuture.completedFuture(null);
          for (AsyncEngine f : followers) {
            all = all.thenCompose(v -> caughtUp(f, String.valueOf(lsn), 0));
          }
          return all;
        });
  }

  private static CompletionStage<Void> caughtUp(AsyncEngine follower, String lsn, int tries) {
    if (tries >= 3000) {
      throw new IllegalStateException("the follower did not catch up with the leader in 30 s");
    }
    var query = Sql.text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)");
    return follower
        .connect(c -> c.scalar(query, Map.of("lsn", lsn)))
        .thenCompose(done ->
            Boolean.TRUE.equals(done)
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : java.util.concurrent.CompletableFuture.runAsync(
                        () -> {},
                        java.util.concurrent.CompletableFuture.delayedExecutor(
                            10, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .thenCompose(v -> caughtUp(follower, lsn, tries + 1)));
  }
}
