package dev.athanor.java;

import static dev.athanor.sql.Sql.select;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.EngineOptions;
import dev.athanor.error.IntegrityException;
import dev.athanor.error.PendingRollbackException;
import dev.athanor.session.Attribute;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.IdentityKey;
import dev.athanor.session.InstanceState;
import dev.athanor.session.Mapper;
import dev.athanor.session.Registry;
import dev.athanor.session.Session;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

/**
 * The Java face's object operations, each as a Java caller uses it: expire and expireAll, expunge
 * and expungeAll, merge (loading and not), identityKey (a binary key too), noAutoflush,
 * populateExisting, info, a failed flush and PendingRollbackException, an ORM bulk insert returning
 * objects, and the identity of objects loaded by successive queries.
 */
class JavaSessionObjectsTest {
  @Entity(table = "jobj_notes")
  public static class Note {
    @Id(generated = false)
    Long id;

    @Column(length = 20, nullable = false, unique = true)
    String title;

    Note() {}

    Note(long id, String title) {
      this.id = id;
      this.title = title;
    }
  }

  @Entity(table = "jobj_digests")
  public static class Digest {
    @Id(generated = false)
    byte[] sha;

    String name;

    Digest() {}

    Digest(byte[] sha, String name) {
      this.sha = sha;
      this.name = name;
    }
  }

  static final Registry REGISTRY = new Registry();
  static final Mapper<Note> NOTES = REGISTRY.map(Note.class);
  static final Mapper<Digest> DIGESTS = REGISTRY.map(Digest.class);
  static final Attribute<Note, Long> ID = NOTES.attribute("id");
  static final Attribute<Note, String> TITLE = NOTES.attribute("title");

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
    save(engine, List.of(new Note(1, "one"), new Note(2, "two")));
    return engine;
  }

  /** Saves {@code notes} in a session of their own. */
  private static void save(AsyncEngine engine, List<Note> notes) {
    AsyncSession seed = AsyncSession.of(engine);
    seed.addAll(notes);
    join(seed.commit());
    join(seed.close());
  }

  /** Notes {@code from} to {@code to}, each titled "n" and its id. */
  private static List<Note> numbered(long from, long to) {
    List<Note> notes = new java.util.ArrayList<>();
    for (long i = from; i <= to; i++) {
      notes.add(new Note(i, "n" + i));
    }
    return notes;
  }

  private static void setTitleElsewhere(AsyncEngine engine, long id, String title) {
    join(
        engine.begin(c ->
            c.execute(
                Sql.text("UPDATE jobj_notes SET title = :t WHERE id = :i")
                    .bind("t", title)
                    .bind("i", id))));
  }

  /** The session sizes its maps for each load: holding one object, then ten, then three hundred. */
  @ParameterizedTest
  @MethodSource("dbs")
  void objectsLoadedBySuccessiveQueriesKeepOneIdentityEach(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      save(engine, numbered(3, 300));
      AsyncSession s = AsyncSession.of(engine);
      Note first = join(s.get(Note.class, 1L));
      List<Note> ten = join(s.<Note>scalars(select(NOTES).where(ID.le(10L)).orderBy(ID))).all();
      List<Note> all = join(s.<Note>scalars(select(NOTES).orderBy(ID))).all();
      List<Note> again = join(s.<Note>scalars(select(NOTES).orderBy(ID))).all();
      assertEquals(10, ten.size());
      assertEquals(300, all.size());
      assertSame(first, all.get(0));
      for (int i = 0; i < all.size(); i++) {
        Note n = all.get(i);
        assertEquals(i + 1L, n.id);
        if (i < 10) {
          assertSame(ten.get(i), n);
        }
        assertSame(n, again.get(i));
        assertSame(n, join(s.get(Note.class, n.id)));
        assertEquals(InstanceState.Status.PERSISTENT, s.inspect(n).status());
      }
      join(s.close());
    } finally {
      join(engine.dispose());
    }
  }

  /**
   * Objects selected after a column keep their row's values as committed: unchanged is no change,
   * and a changed attribute is the only one written.
   */
  @ParameterizedTest
  @MethodSource("dbs")
  void objectsSelectedBesideAColumnTrackTheirChanges(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      List<dev.athanor.result.Row> rows = join(s.execute(select(TITLE, NOTES).orderBy(ID))).all();
      assertEquals(2, rows.size());
      assertEquals("one", rows.get(0).get(0));
      Note one = (Note) rows.get(0).get(1);
      Note two = (Note) rows.get(1).get(1);
      assertEquals("one", one.title);
      assertFalse(s.isModified(one));
      assertFalse(s.isModified(two));
      two.title = "zwei";
      assertEquals(Set.of("title"), s.inspect(two).modifiedAttributes());
      assertFalse(s.isModified(one));
      join(s.commit());
      join(s.close());
      List<dev.athanor.result.Row> after =
          join(engine.connect(
                  c -> c.execute(Sql.text("SELECT id, title FROM jobj_notes ORDER BY id"))))
              .all();
      assertEquals("one", after.get(0).get(1));
      assertEquals("zwei", after.get(1).get(1));
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void expireKeepsValuesUntilTheNextReachAndExpireAllCoversEveryObject(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      Note one = join(s.get(Note.class, 1L));
      Note two = join(s.get(Note.class, 2L));
      join(s.commit()); // expireOnCommit
      assertTrue(s.inspect(one).isExpired());
      assertEquals("one", one.title, "no IO on a field read: the value stays until reloaded");
      join(s.refresh(one));
      setTitleElsewhere(engine, 1L, "uno");
      setTitleElsewhere(engine, 2L, "dos");
      s.expire(one, List.of("title"));
      assertEquals("one", one.title);
      assertSame(one, join(s.get(Note.class, 1L)));
      assertEquals("uno", one.title);
      assertEquals("two", two.title);
      s.expireAll();
      assertTrue(s.inspect(two).isExpired());
      join(s.scalars(select(NOTES)));
      assertEquals("dos", two.title);
      join(s.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aBinaryKeyFindsItsObjectWhateverArrayHoldsTheBytes(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      Digest d = new Digest(new byte[] {4, 2, (byte) 0x80}, "a");
      s.add(d);
      join(s.commit());
      assertSame(d, join(s.scalars(select(DIGESTS))).one());
      assertSame(d, join(s.get(Digest.class, new byte[] {4, 2, (byte) 0x80})));
      assertEquals(s.identityKey(Digest.class, new byte[] {4, 2, (byte) 0x80}), s.identityKey(d));
      join(s.close());
      AsyncSession other = AsyncSession.of(engine);
      Digest loaded = join(other.get(Digest.class, new byte[] {4, 2, (byte) 0x80}));
      assertNotSame(d, loaded);
      assertSame(loaded, join(other.scalars(select(DIGESTS))).one());
      loaded.name = "b";
      join(other.commit());
      join(other.close());
      assertEquals(
          "b", join(engine.connect(c -> c.scalar(Sql.text("SELECT name FROM jobj_digests")))));
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void releaseStreamedKeepsTheObjectsOfTheBatchBeingProcessed(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      save(engine, numbered(3, 200));
      AsyncSession s = AsyncSession.of(engine);
      List<Note> firstBatch = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Boolean> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      join(
          s.<Note>streamScalars(
                  select(NOTES).orderBy(ID),
                  Map.of(),
                  ExecutionOptions.DEFAULTS.yieldPer(10).with(Session.RELEASE_STREAMED, true))
              .thenCompose(r ->
                  Flux.from(r.publisher())
                      .publishOn(reactor.core.scheduler.Schedulers.boundedElastic(), 1)
                      .doOnNext(n -> {
                        if (firstBatch.size() < 10) {
                          firstBatch.add(n);
                          if (firstBatch.size() == 1) {
                            sleep(500); // the stream would read ahead now, if it did
                          }
                          held.add(s.contains(n));
                          n.title = "seen " + n.id;
                        }
                      })
                      .then()
                      .toFuture()));
      assertEquals(List.of(true, true, true, true, true, true, true, true, true, true), held);
      join(s.commit());
      join(s.close());
      Object seen =
          join(
              engine.connect(c ->
                  c.scalar(Sql.text("SELECT count(*) FROM jobj_notes WHERE title LIKE 'seen%'"))));
      assertEquals(10L, ((Number) seen).longValue());
    } finally {
      join(engine.dispose());
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void expungeDetachesOneObjectAndExpungeAllEveryObject(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      Note one = join(s.get(Note.class, 1L));
      Note two = join(s.get(Note.class, 2L));
      s.expunge(one);
      assertFalse(s.contains(one));
      assertEquals(InstanceState.Status.DETACHED, s.inspect(one).status());
      one.title = "not tracked";
      join(s.flush());
      assertNotSame(one, join(s.get(Note.class, 1L)), "a new object for the row");
      s.expungeAll();
      assertFalse(s.contains(two));
      assertTrue(s.getNew().isEmpty() && s.getDirty().isEmpty());
      join(s.commit());
      assertEquals(
          "one",
          join(
              engine.connect(
                  c -> c.scalar(Sql.text("SELECT title FROM jobj_notes WHERE id = 1")))));
      // Deleting an object the session does not hold is refused by name.
      AsyncSession fresh = AsyncSession.of(engine);
      CompletionException e =
          assertThrows(CompletionException.class, () -> join(fresh.delete(new Note(9, "x"))));
      assertTrue(e.getCause().getMessage().contains("not in this session"), e.getMessage());
      join(fresh.close());
      join(s.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void mergeCopiesOntoTheSessionsObjectLoadingOrNot(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      Note detached = new Note(1, "merged");
      Note copy = join(s.merge(detached));
      assertNotSame(detached, copy);
      assertFalse(s.contains(detached));
      assertTrue(s.isModified(copy));
      assertEquals(new IdentityKey(NOTES, List.of(1L)), s.identityKey(copy));
      Note unknown = join(s.merge(new Note(3, "three")));
      assertTrue(s.getNew().contains(unknown));
      Note trusted = join(s.merge(new Note(2, "two"), false));
      assertFalse(s.isModified(trusted), "load=false: taken as what the database holds");
      join(s.commit());
      assertEquals(
          List.of("merged", "two", "three"),
          join(
              engine.connect(c ->
                  c.execute(Sql.text("SELECT title FROM jobj_notes ORDER BY id"))
                      .thenApply(r -> r.<String>scalars().all()))));
      join(s.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void noAutoflushPopulateExistingAndInfo(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      s.info().put("request", "r-1");
      assertEquals("r-1", s.info().get("request"));
      Note one = join(s.get(Note.class, 1L));
      one.title = "pending change";
      // noAutoflush: the query does not flush the change first, so the database still says "one".
      Long count =
          s.noAutoflush(() ->
              ((Number)
                      join(
                          s.scalar(
                              Sql.select(dev.athanor.sql.Func.count())
                                  .selectFrom(NOTES.table())
                                  .where(TITLE.eq("pending change")))))
                  .longValue());
      assertEquals(0L, count);
      assertTrue(s.isModified(one));
      join(s.rollback());

      Note two = join(s.get(Note.class, 2L));
      setTitleElsewhere(engine, 2L, "changed elsewhere");
      join(s.scalars(select(NOTES).where(ID.eq(2L)), Map.of()));
      assertEquals("two", two.title, "a query does not overwrite what the session holds");
      join(
          s.execute(
              select(NOTES).where(ID.eq(2L)),
              Map.of(),
              ExecutionOptions.DEFAULTS.with(Session.POPULATE_EXISTING, true)));
      assertEquals("changed elsewhere", two.title, "populateExisting does");
      join(s.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aFailedFlushNeedsRollbackAndLosesNothing(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      Note dup = new Note(5, "one"); // the title is unique
      s.add(dup);
      CompletionException e = assertThrows(CompletionException.class, () -> join(s.flush()));
      assertInstanceOf(IntegrityException.class, e.getCause());
      CompletionException refused =
          assertThrows(CompletionException.class, () -> join(s.get(Note.class, 1L)));
      assertInstanceOf(PendingRollbackException.class, refused.getCause());
      assertTrue(refused.getCause().getMessage().contains("rollback()"));
      assertEquals(Set.of(dup), s.getNew(), "still pending after the failed flush");
      join(s.rollback());
      // As in SQLAlchemy, the rollback expunges what was added in the transaction.
      assertEquals(InstanceState.Status.TRANSIENT, s.inspect(dup).status());
      dup.title = "five";
      s.add(dup);
      join(s.commit());
      assertEquals(5L, join(s.get(Note.class, 5L)).id);
      join(s.close());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aBulkInsertReturningTheClassGivesPersistentObjects(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      List<Note> made =
          join(s.<Note>scalars(
                  Sql.insert(NOTES)
                      .values(
                          List.of(
                              Map.of("id", 10L, "title", "ten"),
                              Map.of("id", 11L, "title", "eleven")))
                      .returning(NOTES)))
              .all();
      assertEquals(List.of(10L, 11L), made.stream().map(n -> n.id).toList());
      assertSame(made.get(0), join(s.get(Note.class, 10L)));
      assertEquals(InstanceState.Status.PERSISTENT, s.inspect(made.get(1)).status());
      join(s.commit());
      join(s.close());
      join(AsyncSession.closeAll());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void identityTokensKeepOneRowOfTwoShardsApartAndRouteItsWrites(TestDatabases.Db db) {
    AsyncEngine shardA = engine(db);
    AsyncEngine shardB = engine(new TestDatabases.Db("h2", TestDatabases.freshH2Url()));
    try {
      setTitleElsewhere(shardB, 1, "one on b");
      AsyncSessionMaker sessions =
          AsyncSessionMaker.of(shardA)
              .router(request -> "b".equals(request.identityToken()) ? shardB : null);
      ExecutionOptions b = ExecutionOptions.DEFAULTS.with(Session.IDENTITY_TOKEN, "b");
      AsyncSession s = sessions.create();
      Note fromA = join(s.get(Note.class, 1L));
      Note fromB = join(s.get(Note.class, 1L, b));
      assertNotSame(fromA, fromB);
      assertEquals("one", fromA.title);
      assertEquals("one on b", fromB.title);
      assertEquals(s.identityKey(Note.class, 1L, "b"), s.identityKey(fromB));
      assertEquals(s.identityKey(Note.class, 1L), s.identityKey(fromA));
      assertEquals("b", s.inspect(fromB).identityToken());
      CompletionException wrongType =
          assertThrows(CompletionException.class, () -> join(s.get(Note.class, "one")));
      assertTrue(
          wrongType.getCause().getMessage().contains("Note's primary key id is a Long"),
          wrongType.getCause().getMessage());
      assertSame(fromB, join(s.get(Note.class, 1L, b)));
      fromB.title = "changed on b";
      join(s.commit());
      join(s.close());
      assertEquals("one", titleIn(shardA, 1));
      assertEquals("changed on b", titleIn(shardB, 1));
    } finally {
      join(shardA.dispose());
      join(shardB.dispose());
    }
  }

  private static String titleIn(AsyncEngine engine, long id) {
    return (String)
        join(
            engine.connect(c ->
                c.execute(Sql.text("SELECT title FROM jobj_notes WHERE id = " + id))
                    .thenApply(r -> r.scalar())));
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aMappedClassStandsForItsObjectsInSelectUpdateAndDelete(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncSession s = AsyncSession.of(engine);
      // select(Note.class) is select(NOTES): the same SQL, objects of the identity map.
      List<Note> all = join(s.<Note>scalars(select(Note.class).orderBy(ID.asc()))).all();
      assertEquals(List.of("one", "two"), all.stream().map(n -> n.title).toList());
      assertEquals(
          select(NOTES).where(ID.eq(1L)).toString(),
          select(Note.class).where(ID.eq(1L)).toString());
      join(
          s.execute(
              Sql.update(Note.class).where(ID.eq(1L)).values(Map.of(TITLE, "uno")), Map.of()));
      assertEquals("uno", all.get(0).title, "the held object is synchronized");
      join(s.execute(Sql.delete(Note.class).where(ID.eq(2L)), Map.of()));
      assertFalse(s.contains(all.get(1)));
      join(s.commit());
      join(s.close());
      assertEquals("uno", titleIn(engine, 1));
      assertNull(titleIn(engine, 2));
      // A class no registry maps is refused by name, with the fix.
      dev.athanor.error.ArgumentException e =
          assertThrows(dev.athanor.error.ArgumentException.class, () -> select(String.class));
      assertTrue(
          e.getMessage().contains("java.lang.String, which no Registry maps"), e.getMessage());
      assertThrows(dev.athanor.error.ArgumentException.class, () -> Sql.update(String.class));
    } finally {
      join(engine.dispose());
    }
  }
}
