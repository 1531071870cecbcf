package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Connection;
import dev.athanor.engine.Engine;
import dev.athanor.error.PendingRollbackException;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A session operation cancelled while a statement of it is still awaited: the cancellation has not
 * reached that statement's waiter yet (as when a Reactor operator hands it over on another thread
 * while the caller goes on at once). The session's next operation queues behind the statement, as
 * behind any abandoned one, instead of being refused as a concurrent caller; the rollback undoes
 * what the statement wrote, and the connection goes back to the pool clean.
 *
 * <p>Here the statement is one a {@code beforeFlush} listener sends through a future it keeps
 * waiting for when the flush is cancelled; it waits for a row lock another connection holds, so
 * that it is in flight while the session goes on.
 */
class LateCancellationTest {
  private static final ItemEngines ENGINES = new ItemEngines();

  @AfterAll
  static void disposeEngines() {
    ENGINES.disposeAll();
  }

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static String nameOf(Engine engine, long id) {
    return (String)
        engine
            .connect(c ->
                c.scalar(
                    Sql.text("SELECT name FROM cancel_load_item WHERE id = :id"),
                    java.util.Map.of("id", id)))
            .block();
  }

  /** An engine with item 1 named "before", and a connection holding that row's lock. */
  private static Engine engine(TestDatabases.Db db) {
    return ENGINES.create(db, List.of(new CancelledLoadTest.Item(1, "before")));
  }

  /** Begins a transaction that updates item 1 and keeps its row lock until rolled back. */
  private static Connection lockRow(Engine engine) {
    Connection holder = engine.connect().block();
    holder.begin().block();
    holder.execute(Sql.text("UPDATE cancel_load_item SET name = 'holder' WHERE id = 1")).block();
    return holder;
  }

  /**
   * Sends an UPDATE of item 1 on {@code c} in the flow of {@code ctx} and returns a {@code Mono} of
   * it that a cancellation does not reach: the future stays waiting for the statement.
   */
  private static Mono<Void> detachedUpdate(
      Connection c, reactor.util.context.ContextView ctx, CompletableFuture<Void> sent) {
    CompletableFuture<?> update =
        c.execute(Sql.text("UPDATE cancel_load_item SET name = 'listener' WHERE id = 1"))
            .contextWrite(ctx)
            .toFuture();
    sent.complete(null);
    return Mono.fromFuture(update, true).then();
  }

  private static long countOf(Engine engine, long id) {
    return ((Number)
            engine
                .connect(c ->
                    c.scalar(
                        Sql.text("SELECT count(*) FROM cancel_load_item WHERE id = :id"),
                        java.util.Map.of("id", id)))
                .block())
        .longValue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void theCommitAfterACancelledQueryWaitsBehindItsStillAwaitedStatement(TestDatabases.Db db)
      throws Exception {
    Engine engine = engine(db);
    Connection holder = lockRow(engine);
    Session s = new Session(engine);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    s.events()
        .add(
            new SessionListener() {
              @Override
              public Mono<Void> afterBegin(Session session, Connection connection) {
                return Mono.deferContextual(ctx -> detachedUpdate(connection, ctx, sent));
              }
            });
    // The query's first use of the session begins its transaction: the listener's UPDATE waits.
    Disposable query = s.scalar(Sql.text("SELECT count(*) FROM cancel_load_item")).subscribe();
    sent.get(10, TimeUnit.SECONDS);
    query.dispose();

    // Nothing was flushed, so the session goes on: its commit runs after the UPDATE, which the
    // transaction it committed holds.
    CompletableFuture<Void> commit = s.commit().toFuture();
    holder.rollback().then(holder.close()).block();
    commit.get(10, TimeUnit.SECONDS);
    assertEquals("listener", nameOf(engine, 1));
    s.close().block();
    CancelledLoadTest.awaitPoolQuiet(engine);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void theRollbackAfterACancelledFlushWaitsBehindItsStillAwaitedStatement(TestDatabases.Db db)
      throws Exception {
    Engine engine = engine(db);
    Connection holder = lockRow(engine);
    Session s = new Session(engine);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    s.events()
        .add(
            new SessionListener() {
              @Override
              public Mono<Void> beforeFlush(Session session) {
                return session
                    .connection()
                    .flatMap(c -> Mono.deferContextual(ctx -> detachedUpdate(c, ctx, sent)));
              }
            });
    s.add(new CancelledLoadTest.Item(2, "new"));
    Disposable flush = s.flush().subscribe(v -> {}, e -> {});
    sent.get(10, TimeUnit.SECONDS);
    flush.dispose();

    // The flush may have written: the session asks for a rollback, which undoes the UPDATE.
    assertThrows(PendingRollbackException.class, () -> s.commit().block());
    CompletableFuture<Void> rollback = s.rollback().toFuture();
    holder.rollback().then(holder.close()).block();
    rollback.get(10, TimeUnit.SECONDS);
    assertEquals("before", nameOf(engine, 1), "the listener's UPDATE was rolled back");
    assertEquals(0L, countOf(engine, 2), "the cancelled flush wrote nothing that stayed");

    // The session goes on: it reads the row and commits a change of its own.
    CancelledLoadTest.Item one = s.get(CancelledLoadTest.Item.class, 1L).block();
    assertEquals("before", one.name);
    one.name = "after";
    s.commit().then(s.close()).block();
    assertEquals("after", nameOf(engine, 1));
    CancelledLoadTest.awaitPoolQuiet(engine);
  }
}
