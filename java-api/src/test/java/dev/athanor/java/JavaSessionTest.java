package dev.athanor.java;

import static dev.athanor.sql.Sql.select;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.EngineOptions;
import dev.athanor.error.StaleDataException;
import dev.athanor.session.Attribute;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.InstanceState;
import dev.athanor.session.Mapper;
import dev.athanor.session.Registry;
import dev.athanor.session.Version;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ORM session from Java: a plain class with fields, through the CompletionStage face. */
class JavaSessionTest {
  @Entity(table = "jorm_accounts")
  public static class Account {
    @Id private Long id;

    @Column(length = 20, nullable = false)
    private String owner;

    private long balance;

    @Version private Integer version;

    private Account() {}

    Account(String owner, long balance) {
      this.owner = owner;
      this.balance = balance;
    }
  }

  /** Keyed by id alone (no version): a flush deletes its rows with {@code IN} lists of keys. */
  @Entity(table = "jorm_tags")
  public static class Tag {
    @Id private Integer id;

    private String label;

    private Tag() {}

    Tag(int id, String label) {
      this.id = id;
      this.label = label;
    }
  }

  static final Registry REGISTRY = new Registry();
  static final Mapper<Account> ACCOUNTS = REGISTRY.map(Account.class);
  static final Mapper<Tag> TAGS = REGISTRY.map(Tag.class);
  static final Attribute<Account, Long> ID = ACCOUNTS.attribute("id");
  static final Attribute<Account, String> OWNER = ACCOUNTS.attribute("owner");
  static final Attribute<Account, Long> BALANCE = ACCOUNTS.attribute("balance");

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static AsyncEngine engine(TestDatabases.Db db) {
    AsyncEngine engine = AsyncEngine.create(db.url(), EngineOptions.defaults().poolSize(3));
    join(
        engine.begin(conn ->
            conn.dropAll(REGISTRY.metadata())
                .thenCompose(v -> conn.createAll(REGISTRY.metadata()))));
    return engine;
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void addCommitGetQueryAndUpdate(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession session = AsyncSession.of(engine);
      Account a = new Account("ann", 100);
      Account b = new Account("bob", 50);
      session.addAll(List.of(a, b));
      assertEquals(InstanceState.Status.PENDING, session.inspect(a).status());
      join(session.commit());
      assertNotNull(a.id);
      assertEquals(1, a.version);
      // get: the same object; a query of the mapped class: the same objects.
      assertSame(a, join(session.get(Account.class, a.id)));
      List<Account> rich =
          join(session.<Account>scalars(select(ACCOUNTS).where(BALANCE.gt(60L)).orderBy(ID))).all();
      assertEquals(List.of(a), rich);
      assertNull(join(session.get(Account.class, -1L)));
      // Change tracking.
      BALANCE.set(a, 90L);
      assertTrue(session.isModified(a));
      assertEquals(java.util.Set.of("balance"), session.inspect(a).modifiedAttributes());
      join(session.commit());
      assertEquals(2, a.version);
      join(session.close());
      assertEquals(InstanceState.Status.DETACHED, session.inspect(a).status());

      AsyncSession other = AsyncSession.of(engine);
      Account again = join(other.getOne(Account.class, a.id));
      assertEquals(90L, again.balance);
      assertEquals("ann", OWNER.get(again));
      join(other.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aStaleVersionFailsTheCommitAndNothingIsLost(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession seed = AsyncSession.of(engine);
      Account a = new Account("cy", 10);
      seed.add(a);
      join(seed.commit());
      join(seed.close());

      AsyncSession s1 = AsyncSession.of(engine);
      AsyncSession s2 = AsyncSession.of(engine);
      Account one = join(s1.get(Account.class, a.id));
      Account two = join(s2.get(Account.class, a.id));
      one.balance = 11;
      join(s1.commit());
      two.balance = 12;
      CompletionException e = assertThrows(CompletionException.class, () -> join(s2.commit()));
      assertInstanceOf(StaleDataException.class, e.getCause());
      assertFalse(s2.isActive());
      join(s2.rollback());
      assertEquals(11L, join(s2.get(Account.class, a.id)).balance);
      join(s1.close());
      join(s2.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aFlushOfManyChangesRefusesAValueTooLongAndKeepsNothing(TestDatabases.Db db) {
    // On PostgreSQL the changed objects go as one UPDATE ... FROM (VALUES ...): the value must be
    // refused there as in a plain UPDATE, never cut to the column's length.
    AsyncEngine engine = engine(db);
    try {
      AsyncSession seed = AsyncSession.of(engine);
      seed.addAll(List.of(new Account("a", 1), new Account("b", 2), new Account("c", 3)));
      join(seed.commit());
      join(seed.close());

      AsyncSession s = AsyncSession.of(engine);
      List<Account> all = join(s.<Account>scalars(select(ACCOUNTS).orderBy(ID))).all();
      all.get(0).owner = "fits";
      all.get(1).owner = "x".repeat(21); // owner is VARCHAR(20)
      all.get(2).balance = 30;
      CompletionException e = assertThrows(CompletionException.class, () -> join(s.commit()));
      assertInstanceOf(dev.athanor.error.DatabaseException.class, e.getCause());
      assertTrue(
          e.getCause().getMessage().toLowerCase(java.util.Locale.ROOT).contains("too long"),
          e.getCause().getMessage());
      join(s.rollback());
      join(s.close());

      AsyncSession check = AsyncSession.of(engine);
      List<Account> now = join(check.<Account>scalars(select(ACCOUNTS).orderBy(ID))).all();
      assertEquals(List.of("a", "b", "c"), now.stream().map(x -> x.owner).toList());
      assertEquals(List.of(1L, 2L, 3L), now.stream().map(x -> x.balance).toList());
      join(check.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aFlushDeletesThousandsOfRowsAPageOfKeysAtATime(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      int n = 2_500;
      AsyncSession seed = AsyncSession.of(engine);
      List<Tag> tags = new java.util.ArrayList<>();
      for (int i = 1; i <= n; i++) {
        tags.add(new Tag(i, "t" + i));
      }
      seed.addAll(tags);
      join(seed.commit());
      join(seed.close());

      AsyncSession s = AsyncSession.of(engine);
      List<Tag> all = join(s.<Tag>scalars(select(TAGS))).all();
      assertEquals(n, all.size());
      for (Tag t : all) {
        join(s.delete(t));
      }
      join(s.commit());
      assertTrue(s.getDeleted().isEmpty());
      assertFalse(s.contains(all.get(n - 1)));
      join(s.close());
      Object left =
          join(
              engine.connect(
                  c -> c.scalar(dev.athanor.sql.Sql.text("SELECT count(*) FROM jorm_tags"))));
      assertEquals(0L, ((Number) left).longValue());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aNewObjectWithADeletedObjectsKeyTakesOverItsRow(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession seed = AsyncSession.of(engine);
      seed.add(new Tag(7, "old"));
      join(seed.commit());
      join(seed.close());

      AsyncSession s = AsyncSession.of(engine);
      Tag old = join(s.get(Tag.class, 7));
      join(s.delete(old));
      Tag replacement = new Tag(7, "new");
      s.add(replacement);
      join(s.commit());
      assertSame(replacement, join(s.get(Tag.class, 7)));
      assertFalse(s.contains(old));
      join(s.close());
      Object label =
          join(
              engine.connect(c ->
                  c.scalar(dev.athanor.sql.Sql.text("SELECT label FROM jorm_tags WHERE id = 7"))));
      assertEquals("new", label);
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void theFactoryCommitsOnCompletionAndRollsBackOnFailure(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSessionMaker sessions = AsyncSessionMaker.of(engine);
      Account kept =
          join(
              sessions.begin(s -> {
                Account a = new Account("dee", 5);
                s.add(a);
                return s.flush().thenApply(v -> a);
              }));
      assertNotNull(kept.id);
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () ->
                  join(
                      sessions.begin(s -> {
                        s.add(new Account("eve", 7));
                        return s.flush()
                            .thenCompose(v ->
                                java.util.concurrent.CompletableFuture.failedFuture(
                                    new IllegalStateException("undo")));
                      })));
      assertEquals("undo", e.getCause().getMessage());
      AsyncSession check = sessions.create();
      assertEquals(
          List.of("dee"),
          join(check.<Account>scalars(select(ACCOUNTS).orderBy(ID))).all().stream()
              .map(a -> a.owner)
              .toList());
      join(check.close());
      assertEquals(0, engine.core().poolStatus().checkedOut());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void savepointsUndoTheirWritesAndTheTransactionGoesOn(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession session = AsyncSession.of(engine);
      assertNull(session.getTransaction());
      AsyncSessionTransaction outer = join(session.begin());
      assertSame(outer, session.getTransaction());
      assertSame(session, outer.session());
      Account kept = new Account("kept", 1);
      session.add(kept);
      // A scoped savepoint whose work fails: rolled back, the outer transaction goes on.
      Account failed = new Account("failed", 2);
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () ->
                  join(
                      session.beginNested(sp -> {
                        assertTrue(sp.isNested());
                        assertSame(sp, session.getNestedTransaction());
                        session.add(failed);
                        return session
                            .flush()
                            .thenCompose(v ->
                                java.util.concurrent.CompletableFuture.failedStage(
                                    new IllegalStateException("the work failed")));
                      })));
      assertEquals("the work failed", e.getCause().getMessage());
      assertFalse(session.inNestedTransaction());
      assertEquals(InstanceState.Status.TRANSIENT, session.inspect(failed).status());
      // A plain savepoint released: its writes belong to the transaction.
      AsyncSessionTransaction sp = join(session.beginNested());
      Account released = new Account("released", 3);
      session.add(released);
      join(sp.commit());
      assertFalse(sp.isActive());
      assertEquals(InstanceState.Status.PERSISTENT, session.inspect(released).status());
      // Refresh of one attribute leaves the other's change alone.
      released.balance = 30;
      released.owner = "changed";
      join(session.refresh(released, List.of("owner")));
      assertEquals("released", released.owner);
      join(outer.commit());
      assertFalse(outer.isActive());
      AsyncSession check = AsyncSession.of(engine);
      List<Account> all = join(check.<Account>scalars(select(ACCOUNTS).orderBy(ID.asc()))).all();
      assertEquals(List.of("kept", "released"), all.stream().map(a -> a.owner).toList());
      assertEquals(30, all.get(1).balance); // autoflushed before the refresh read
      join(check.close());
      join(session.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void runSyncObjectSessionAndInvalidate(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession session = AsyncSession.of(engine);
      Account a = new Account("sync", 5);
      session.add(a);
      assertSame(session, AsyncSession.objectSession(a));
      Long id =
          join(
              session.runSync(sync -> {
                assertTrue(Thread.currentThread().isVirtual());
                sync.flush();
                assertSame(a, sync.get(Account.class, a.id));
                a.balance = 6;
                sync.commit();
                return a.id;
              }));
      assertEquals(a.id, id);
      Account again = join(session.get(Account.class, id));
      assertSame(a, again); // expired by the commit, reloaded in place
      assertEquals(6, again.balance);
      join(session.invalidate());
      assertTrue(session.isClosed());
      assertNull(AsyncSession.objectSession(a));
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void listenersAwaitTheirStagesAndMayUseTheSession(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.athanor.session.Registration onMapper =
        AsyncMapperListener.listen(
            ACCOUNTS,
            new AsyncMapperListener() {
              @Override
              public java.util.concurrent.CompletionStage<@org.jspecify.annotations.Nullable Void>
                  beforeInsert(Mapper<?> mapper, AsyncConnection connection, Object target) {
                ((Account) target).balance += 1000; // written by this insert
                return connection
                    .scalar(dev.athanor.sql.Sql.text("SELECT 1"))
                    .thenAccept(v -> heard.add("beforeInsert " + v));
              }
            });
    try {
      AsyncSession session = AsyncSession.of(engine);
      session.listen(
          new AsyncSessionListener() {
            @Override
            public java.util.concurrent.CompletionStage<@org.jspecify.annotations.Nullable Void>
                beforeCommit(AsyncSession s) {
              // The session itself, from the listener's stage: part of the commit.
              return s.scalar(dev.athanor.sql.Sql.text("SELECT count(*) FROM jorm_accounts"))
                  .thenAccept(n -> heard.add("beforeCommit " + ((Number) n).intValue()));
            }
          });
      Account a = new Account("listened", 1);
      session.add(a);
      join(session.commit());
      assertEquals(List.of("beforeInsert 1", "beforeCommit 1"), heard);
      AsyncSession check = AsyncSession.of(engine);
      assertEquals(1001, join(check.get(Account.class, a.id)).balance);
      join(check.close());
      // A failed stage fails the commit and rolls back.
      session.listen(
          new AsyncSessionListener() {
            @Override
            public java.util.concurrent.CompletionStage<@org.jspecify.annotations.Nullable Void>
                beforeCommit(AsyncSession s) {
              return java.util.concurrent.CompletableFuture.failedFuture(
                  new IllegalStateException("refused"));
            }
          });
      session.add(new Account("lost", 2));
      CompletionException e = assertThrows(CompletionException.class, () -> join(session.commit()));
      assertEquals("refused", e.getCause().getMessage());
      join(session.rollback());
      join(session.close());
      AsyncSession count = AsyncSession.of(engine);
      assertEquals(
          1L,
          ((Number)
                  join(
                      count.scalar(dev.athanor.sql.Sql.text("SELECT count(*) FROM jorm_accounts"))))
              .longValue());
      join(count.close());
    } finally {
      onMapper.remove();
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void whileAListenerRunsOnlyItsOwnCallsPass(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession session = AsyncSession.of(engine);
      java.util.concurrent.CompletableFuture<@org.jspecify.annotations.Nullable Void> release =
          new java.util.concurrent.CompletableFuture<>();
      java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
      java.util.List<Object> ownCalls = new java.util.concurrent.CopyOnWriteArrayList<>();
      session.listen(
          new AsyncSessionListener() {
            @Override
            public java.util.concurrent.CompletionStage<@org.jspecify.annotations.Nullable Void>
                beforeCommit(AsyncSession s) {
              assertEquals(session, s); // the listener's face is a face of the same session
              running.countDown();
              // The listener's own calls, made after another thread's call was refused.
              return release
                  .thenCompose(v -> s.scalar(dev.athanor.sql.Sql.text("SELECT 7")))
                  .thenAccept(ownCalls::add)
                  .thenCompose(v -> s.get(Account.class, -1L))
                  .thenAccept(none -> ownCalls.add(none == null ? "miss" : "hit"));
            }
          });
      session.add(new Account("guarded", 5));
      java.util.concurrent.CompletionStage<@org.jspecify.annotations.Nullable Void> commit =
          session.commit();
      assertTrue(awaitLatch(running));
      // Another caller, through the session's own face, while the listener runs: refused, with
      // the hint for a listener that used the wrong face.
      CompletionException refused =
          assertThrows(
              CompletionException.class,
              () -> join(session.scalar(dev.athanor.sql.Sql.text("SELECT 1"))));
      assertInstanceOf(
          dev.athanor.error.InvalidRequestException.class, refused.getCause(), refused.toString());
      String message = refused.getCause().getMessage();
      assertTrue(message.contains("busy with commit()"), message);
      assertTrue(message.contains("the session the listener was given"), message);
      assertThrows(CompletionException.class, () -> join(session.flush()));
      assertThrows(CompletionException.class, () -> join(session.get(Account.class, 1L)));
      release.complete(null);
      join(commit);
      assertEquals(
          List.of(7, "miss"), List.of(((Number) ownCalls.get(0)).intValue(), ownCalls.get(1)));
      // The session is free again for its own face.
      assertEquals(
          1L,
          ((Number)
                  join(
                      session.scalar(
                          dev.athanor.sql.Sql.text("SELECT count(*) FROM jorm_accounts"))))
              .longValue());
      join(session.close());
    } finally {
      join(engine.dispose());
    }
  }

  private static boolean awaitLatch(java.util.concurrent.CountDownLatch latch) {
    try {
      return latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void bulkUpdateAndDeleteKeepHeldObjectsRight(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession session = AsyncSession.of(engine);
      Account a = new Account("amy", 10);
      Account b = new Account("ben", 20);
      session.addAll(List.of(a, b));
      join(session.flush());
      var evaluate =
          dev.athanor.sql.ExecutionOptions.DEFAULTS.with(
              dev.athanor.session.Session.SYNCHRONIZE_SESSION,
              dev.athanor.session.SynchronizeSession.EVALUATE);
      dev.athanor.result.Result r =
          join(
              session.execute(
                  dev.athanor.sql.Sql.update(ACCOUNTS)
                      .where(BALANCE.lt(15L))
                      .values(java.util.Map.of(BALANCE, BALANCE.plus(5L))),
                  java.util.Map.of(),
                  evaluate));
      assertEquals(1, r.rowcount());
      assertEquals(15, a.balance);
      assertEquals(20, b.balance);
      assertTrue(session.getDirty().isEmpty());
      join(
          session.execute(
              dev.athanor.sql.Sql.delete(ACCOUNTS).where(OWNER.eq("ben")),
              java.util.Map.of(),
              dev.athanor.sql.ExecutionOptions.DEFAULTS.with(
                  dev.athanor.session.Session.SYNCHRONIZE_SESSION,
                  dev.athanor.session.SynchronizeSession.FETCH)));
      assertEquals(InstanceState.Status.DELETED, session.inspect(b).status());
      join(session.commit());
      AsyncSession check = AsyncSession.of(engine);
      List<Account> left = join(check.<Account>scalars(select(ACCOUNTS))).all();
      assertEquals(1, left.size());
      assertEquals(15, left.get(0).balance);
      join(check.close());
      join(session.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void theGeneratedMetamodelQueriesAsTheCoreDoes(TestDatabases.Db db) {
    // JavaSessionTest_Account_ is written by the metamodel processor at test compile time.
    dev.athanor.sql.Select orm =
        select(JavaSessionTest_Account_.mapper())
            .where(JavaSessionTest_Account_.owner.eq("ann"))
            .orderBy(JavaSessionTest_Account_.id.asc());
    dev.athanor.sql.Table t = REGISTRY.metadata().table("jorm_accounts");
    dev.athanor.sql.Select core =
        select(t.columns().toArray(new dev.athanor.sql.Column<?>[0]))
            .where(t.<String>c("owner").eq("ann"))
            .orderBy(t.<Long>c("id").asc());
    assertEquals(
        core.compile(dev.athanor.sql.Dialect.POSTGRESQL).sql(),
        orm.compile(dev.athanor.sql.Dialect.POSTGRESQL).sql());
    // Mixed with Core functions, and typed: balance is a Long attribute (a long field).
    dev.athanor.session.MetaAttribute<Account, Long> balance = JavaSessionTest_Account_.balance;
    assertEquals("balance", balance.name());
    assertEquals(
        "SELECT count(jorm_accounts.id) FROM jorm_accounts",
        select(dev.athanor.sql.Func.count(JavaSessionTest_Account_.id))
            .compile(dev.athanor.sql.Dialect.POSTGRESQL)
            .sql());
    AsyncEngine engine = engine(db);
    try {
      AsyncSession session = AsyncSession.of(engine);
      Account bob = new Account("bob", 7);
      session.addAll(List.of(new Account("ann", 5), bob));
      join(session.flush());
      List<Account> found =
          join(session.<Account>scalars(orm.where(JavaSessionTest_Account_.balance.gt(1L)))).all();
      assertEquals(List.of("ann"), found.stream().map(a -> a.owner).toList());
      // As SET keys and in bulk criteria too.
      join(
          session.execute(
              dev.athanor.sql.Sql.update(JavaSessionTest_Account_.mapper())
                  .where(JavaSessionTest_Account_.owner.eq("bob"))
                  .values(java.util.Map.of(JavaSessionTest_Account_.balance, 70L))));
      assertEquals(70, bob.balance); // synchronized by evaluating the criteria in memory
      join(session.commit());
      AsyncSession check = AsyncSession.of(engine);
      assertEquals(70, join(check.get(Account.class, bob.id)).balance);
      join(check.close());
      join(session.close());
    } finally {
      join(engine.dispose());
    }
  }
}
