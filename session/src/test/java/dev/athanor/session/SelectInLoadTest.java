package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.engine.EngineListener;
import dev.athanor.engine.ExecuteContext;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.UnloadedAttributeException;
import dev.athanor.sql.Select;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * View-only one-to-many relationships: {@code selectinload} (one more statement per 500 owners,
 * chained to the next level), the unloaded marker's error, loads by {@code refresh} and inside
 * {@code runSync}, the loaded list's refusal of changes, and how loaded collections meet the
 * identity map, expiry and {@code populateExisting}. On both databases.
 */
class SelectInLoadTest {
  @Entity(table = "sil_author")
  static class Author {
    @Id(generated = false)
    Long id;

    @Column(length = 20)
    String name;

    @Relationship(viewOnly = true)
    List<Book> books;

    Author() {}

    Author(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  @Entity(table = "sil_book")
  static class Book {
    @Id(generated = false)
    Long id;

    @Column(references = "sil_author.id")
    Long authorId;

    @Column(length = 20)
    String title;

    @Relationship(viewOnly = true, orderBy = "number")
    List<Chapter> chapters;

    Book() {}

    Book(long id, long authorId, String title) {
      this.id = id;
      this.authorId = authorId;
      this.title = title;
    }
  }

  @Entity(table = "sil_chapter")
  static class Chapter {
    @Id(generated = false)
    Long id;

    @Column(references = "sil_book.id")
    Integer bookId;

    int number;

    Chapter() {}

    Chapter(long id, int bookId, int number) {
      this.id = id;
      this.bookId = bookId;
      this.number = number;
    }
  }

  private static final Registry REGISTRY = new Registry();

  static {
    // The owner is mapped before the class its relationship names: worked out on first use.
    REGISTRY.map(Author.class);
    REGISTRY.map(Book.class);
    REGISTRY.map(Chapter.class);
  }

  private static final Mapper<Author> AUTHORS = Registry.mapperOf(Author.class);
  private static final List<Engine> ENGINES = new CopyOnWriteArrayList<>();

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  @AfterAll
  static void disposeEngines() {
    for (Engine e : ENGINES) {
      e.dispose().block();
    }
  }

  /** Authors 1..authors, each with books 10a+1..10a+2 but author 3 with none; chapters of 11. */
  private static Engine engine(TestDatabases.Db db, int authors) {
    // A test that failed part way leaves its session open; its locks would stall the DROP below.
    Session.closeAll().onErrorResume(e -> reactor.core.publisher.Mono.empty()).block();
    Engine engine = Engine.create(db.url());
    ENGINES.add(engine);
    engine
        .begin(c -> REGISTRY.metadata().dropAll(c).then(REGISTRY.metadata().createAll(c)))
        .block();
    Session s = new Session(engine);
    for (long a = 1; a <= authors; a++) {
      s.add(new Author(a, "a" + a));
      if (a != 3) {
        // Added out of key order: the collection comes back in key order.
        s.add(new Book(a * 10 + 2, a, "t" + (a * 10 + 2)));
        s.add(new Book(a * 10 + 1, a, "t" + (a * 10 + 1)));
      }
    }
    s.add(new Chapter(1, 11, 2));
    s.add(new Chapter(2, 11, 1));
    s.commit().then(s.close()).block();
    return engine;
  }

  /** Records the SELECTs an engine runs while a test watches. */
  private static final class Selects implements EngineListener, AutoCloseable {
    final List<String> seen = new CopyOnWriteArrayList<>();
    private final Engine engine;

    Selects(Engine engine) {
      this.engine = engine;
      engine.events().add(this);
    }

    @Override
    public void beforeExecute(ExecuteContext context) {
      if (context.sql().startsWith("SELECT")) {
        seen.add(context.sql());
      }
    }

    @Override
    public void close() {
      engine.events().remove(this);
    }
  }

  private static List<Author> authors(Session s, Select q) {
    return s.execute(q).map(r -> r.<Author>scalars().all()).block();
  }

  private static Select byId() {
    return Sql.select(AUTHORS).orderBy(AUTHORS.attribute("id").asc());
  }

  private static List<Long> ids(List<?> objects) {
    List<Long> out = new ArrayList<>();
    for (Object o : objects) {
      out.add(o instanceof Book b ? b.id : ((Chapter) o).id);
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void selectinloadFillsEveryCollectionWithOneMoreStatement(TestDatabases.Db db) {
    Engine engine = engine(db, 4);
    try (Selects selects = new Selects(engine)) {
      Session s = new Session(engine);
      List<Author> loaded = authors(s, byId().options(Loaders.selectinload(Author.class, "books")));
      assertEquals(2, selects.seen.size(), selects.seen.toString());
      assertTrue(selects.seen.get(1).contains(" IN "), selects.seen.get(1));
      assertEquals(List.of(11L, 12L), ids(loaded.get(0).books));
      assertEquals(List.of(21L, 22L), ids(loaded.get(1).books));
      assertEquals(List.of(), loaded.get(2).books, "an author without books: an empty list");
      assertEquals(List.of(41L, 42L), ids(loaded.get(3).books));
      // The related objects are the session's own: a get finds them without a statement.
      selects.seen.clear();
      assertSame(loaded.get(1).books.get(0), s.get(Book.class, 21L).block());
      assertEquals(List.of(), selects.seen);
      // Their own relationship was not asked for: not loaded.
      assertThrows(
          UnloadedAttributeException.class, () -> loaded.get(0).books.get(0).chapters.size());
      s.rollback().then(s.close()).block();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void anUnloadedCollectionRefusesReadsAndNamesTheFixes(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Session s = new Session(engine);
    Author a = authors(s, byId()).get(0);
    UnloadedAttributeException e =
        assertThrows(UnloadedAttributeException.class, () -> a.books.size());
    assertTrue(e.getMessage().contains("Author.books"), e.getMessage());
    assertTrue(e.getMessage().contains("key 1"), e.getMessage());
    assertTrue(e.getMessage().contains("selectinload(Author.class, \"books\")"), e.getMessage());
    assertTrue(e.getMessage().contains("session.refresh(author, List.of(\"books\"))"));
    assertTrue(e.getMessage().contains("session.fetch(author, \"books\")"), e.getMessage());
    assertTrue(e.getMessage().contains("runSync"), e.getMessage());
    // Every read refuses: no silent empty list.
    assertThrows(UnloadedAttributeException.class, () -> a.books.isEmpty());
    assertThrows(UnloadedAttributeException.class, () -> a.books.iterator().hasNext());
    assertThrows(UnloadedAttributeException.class, () -> a.books.stream().count());
    assertThrows(UnloadedAttributeException.class, () -> a.books.contains(null));
    // Printing it (a log line, a debugger) does not load it or throw.
    assertEquals("[not loaded: Author.books]", a.books.toString());
    assertEquals(a.books, a.books);
    assertFalse(a.books.equals(List.of()));
    s.rollback().then(s.close()).block();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void refreshWithTheRelationshipsNameLoadsIt(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    try (Selects selects = new Selects(engine)) {
      Session s = new Session(engine);
      Author a = authors(s, byId()).get(1);
      selects.seen.clear();
      s.refresh(a, List.of("books")).block();
      assertEquals(1, selects.seen.size(), "only the relationship's statement");
      assertEquals(List.of(21L, 22L), ids(a.books));
      // A column and the relationship together; a column's local change is discarded.
      a.name = "changed";
      s.refresh(a, List.of("name", "books")).block();
      assertEquals("a2", a.name);
      assertEquals(List.of(21L, 22L), ids(a.books));
      assertThrows(
          dev.athanor.error.MappingException.class, () -> s.refresh(a, List.of("nope")).block());
      s.rollback().then(s.close()).block();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void fetchLoadsAnUnloadedCollectionOnceAndGivesBackALoadedOne(TestDatabases.Db db) {
    Engine engine = engine(db, 3);
    try (Selects selects = new Selects(engine)) {
      Session s = new Session(engine);
      List<Author> all = authors(s, byId());
      Author a = all.get(1);
      selects.seen.clear();
      List<Book> books = s.<Book>fetch(a, "books").block();
      assertEquals(1, selects.seen.size(), "one SELECT of the related class");
      assertEquals(List.of(21L, 22L), ids(books));
      assertSame(books, a.books, "the object holds the list fetch gave");
      assertSame(books, s.<Book>fetch(a, "books").block());
      assertEquals(1, selects.seen.size(), "a loaded collection comes back with no IO");
      assertEquals(List.of(), s.<Book>fetch(all.get(2), "books").block(), "author 3 has none");
      // Expired by name or by the commit: the next fetch loads it again.
      s.expire(a, List.of("books"));
      selects.seen.clear();
      assertEquals(List.of(21L, 22L), ids(s.<Book>fetch(a, "books").block()));
      assertEquals(1, selects.seen.size());
      // A chapter list one level down, through an object fetch gave.
      Book eleven = s.<Book>fetch(all.get(0), "books").block().get(0);
      assertEquals(List.of(2L, 1L), ids(s.<Chapter>fetch(eleven, "chapters").block()));
      // The commit expires every object, collections included.
      s.commit().block();
      selects.seen.clear();
      List<Book> after = s.<Book>fetch(a, "books").block();
      assertEquals(1, selects.seen.size(), "the commit expired it: " + selects.seen);
      assertNotSame(books, after);
      assertEquals(List.of(21L, 22L), ids(after));
      s.rollback().then(s.close()).block();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void fetchReplacesTheProgramsListOnceFlushedAndRefusesWhatItCannotLoad(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Session s = new Session(engine);
    Author made = new Author(8, "a8");
    made.books = new ArrayList<>(); // the program's own list
    s.add(made);
    InvalidRequestException pending =
        assertThrows(InvalidRequestException.class, () -> s.fetch(made, "books").block());
    assertTrue(pending.getMessage().contains("Author.books"), pending.getMessage());
    assertTrue(pending.getMessage().contains("flush it first"), pending.getMessage());
    s.add(new Book(81, 8, "t81"));
    s.flush().block();
    assertEquals(List.of(81L), ids(s.<Book>fetch(made, "books").block()));
    dev.athanor.error.MappingException unknown =
        assertThrows(dev.athanor.error.MappingException.class, () -> s.fetch(made, "nope").block());
    assertTrue(unknown.getMessage().contains("books"), unknown.getMessage());
    assertThrows(dev.athanor.error.MappingException.class, () -> s.fetch(made, "name").block());
    assertThrows(
        InvalidRequestException.class, () -> s.fetch(new Author(9, "a9"), "books").block());
    // The blocking view fetches too.
    Author first = s.get(Author.class, 1L).block();
    assertEquals(List.of(11L, 12L), s.runSync(sync -> ids(sync.fetch(first, "books"))).block());
    s.rollback().then(s.close()).block();
    assertThrows(
        dev.athanor.error.ResourceClosedException.class, () -> s.fetch(first, "books").block());
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void insideRunSyncReadingAnUnloadedCollectionLoadsIt(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Session s = new Session(engine);
    Author a = authors(s, byId()).get(0);
    List<Long> read = s.runSync(sync -> ids(a.books)).block();
    assertEquals(List.of(11L, 12L), read);
    // Loaded now, it reads outside runSync too.
    assertEquals(2, a.books.size());
    // The blocking view expires and refreshes relationships by name.
    List<Long> again =
        s.runSync(
                sync -> {
                  sync.expire(a, List.of("books"));
                  assertThrows(
                      dev.athanor.error.MappingException.class,
                      () -> sync.refresh(a, List.of("x")));
                  sync.refresh(a, List.of("name", "books"));
                  return ids(a.books);
                })
            .block();
    assertEquals(List.of(11L, 12L), again);
    s.rollback().then(s.close()).block();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aViewOnlyCollectionRefusesChangesAndSaysWhatToWrite(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Session s = new Session(engine);
    Author a = authors(s, byId().options(Loaders.selectinload(Author.class, "books"))).get(0);
    Book other = new Book(99, 1, "x");
    for (Runnable change :
        List.<Runnable>of(
            () -> a.books.add(other),
            () -> a.books.remove(0),
            () -> a.books.set(0, other),
            () -> a.books.clear(),
            () -> a.books.removeIf(b -> true),
            () -> a.books.sort(null))) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, change::run);
      assertTrue(e.getMessage().contains("view-only"), e.getMessage());
      assertTrue(e.getMessage().contains("Book.authorId"), e.getMessage());
    }
    assertEquals(List.of(11L, 12L), ids(a.books));
    // The unloaded marker refuses changes the same way.
    Author b = authors(s, byId()).get(1);
    s.expire(b);
    Author reloaded = authors(s, byId()).get(1);
    assertSame(b, reloaded);
    assertThrows(InvalidRequestException.class, () -> reloaded.books.add(other));
    s.rollback().then(s.close()).block();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aLoadedCollectionStaysUntilExpiredOrRepopulated(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Select eager = byId().options(Loaders.selectinload(Author.class, "books"));
    try (Selects selects = new Selects(engine)) {
      Session s = new Session(engine);
      Author a = authors(s, eager).get(0);
      List<Book> first = a.books;
      // Another book for author 1, written beside the session's transaction's view.
      s.execute(Sql.text("INSERT INTO sil_book (id, author_id, title) VALUES (13, 1, 't13')"))
          .block();
      selects.seen.clear();
      authors(s, eager);
      assertEquals(1, selects.seen.size(), "already loaded: no select-in statement");
      assertSame(first, a.books);
      // An attribute expired alone keeps the collection.
      s.expire(a, List.of("name"));
      authors(s, byId());
      assertSame(first, a.books);
      // populateExisting loads it again.
      authors(
          s,
          eager.executionOptions(
              dev.athanor.sql.ExecutionOptions.DEFAULTS.with(Session.POPULATE_EXISTING, true)));
      assertEquals(List.of(11L, 12L, 13L), ids(a.books));
      // A whole expiry (as a commit makes) unloads it; the next eager query loads it.
      s.expire(a);
      authors(s, byId());
      assertThrows(UnloadedAttributeException.class, () -> a.books.size());
      authors(s, eager);
      assertEquals(List.of(11L, 12L, 13L), ids(a.books));
      // Expired by name, the relationship alone is unloaded; an eager query loads it again
      // without reloading the object's columns.
      s.expire(a, List.of("books"));
      assertThrows(UnloadedAttributeException.class, () -> a.books.size());
      assertFalse(s.inspect(a).isExpired());
      selects.seen.clear();
      authors(s, eager);
      assertEquals(2, selects.seen.size());
      assertEquals(List.of(11L, 12L, 13L), ids(a.books));
      // A column and the relationship in one call.
      s.expire(a, List.of("name", "books"));
      assertTrue(s.inspect(a).isExpired());
      assertThrows(UnloadedAttributeException.class, () -> a.books.size());
      s.rollback().then(s.close()).block();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aForeignKeyChangedInMemoryCountsOnceItIsFlushed(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Select eager = byId().options(Loaders.selectinload(Author.class, "books"));
    // Autoflush off: the change stays in memory, and the database still lists book 11 under 1.
    Session manual = new Session(engine, true, false);
    Book moved = manual.get(Book.class, 11L).block();
    moved.authorId = 2L;
    List<Author> before = authors(manual, eager);
    assertEquals(List.of(11L, 12L), ids(before.get(0).books));
    assertEquals(List.of(21L, 22L), ids(before.get(1).books));
    manual.rollback().then(manual.close()).block();
    // Autoflush on: the query writes the change first, and the book is listed under 2.
    Session s = new Session(engine);
    Book book = s.get(Book.class, 11L).block();
    book.authorId = 2L;
    List<Author> after = authors(s, eager);
    assertEquals(List.of(12L), ids(after.get(0).books));
    assertEquals(List.of(11L, 21L, 22L), ids(after.get(1).books));
    s.rollback().then(s.close()).block();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void manyOwnersAreLoadedFiveHundredAStatement(TestDatabases.Db db) {
    Engine engine = engine(db, 1201);
    try (Selects selects = new Selects(engine)) {
      Session s = new Session(engine);
      List<Author> loaded = authors(s, byId().options(Loaders.selectinload(Author.class, "books")));
      assertEquals(1201, loaded.size());
      assertEquals(4, selects.seen.size(), "the authors, then 500 + 500 + 201 keys");
      for (Author a : loaded) {
        List<Long> expected = a.id == 3 ? List.of() : List.of(a.id * 10 + 1, a.id * 10 + 2);
        assertEquals(expected, ids(a.books), "author " + a.id);
      }
      s.rollback().then(s.close()).block();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void chainedOptionsLoadTheNextLevelAndGetTakesOptions(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    try (Selects selects = new Selects(engine)) {
      Session s = new Session(engine);
      SelectInLoad chained =
          Loaders.selectinload(Author.class, "books").selectinload(Book.class, "chapters");
      Author a = authors(s, byId().options(chained)).get(0);
      assertEquals(3, selects.seen.size(), selects.seen.toString());
      // Ordered by the relationship's orderBy (number), not by key; an Integer foreign key.
      assertEquals(List.of(2L, 1L), ids(a.books.get(0).chapters));
      assertEquals(List.of(), a.books.get(1).chapters);
      s.rollback().then(s.close()).block();

      Session t = new Session(engine);
      Author got = t.get(Author.class, 2L, Loaders.options(chained)).block();
      assertEquals(List.of(21L, 22L), ids(got.books));
      t.rollback().then(t.close()).block();
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aStreamRefusesSelectinloadAndAFailedLoadLeavesTheSessionUsable(TestDatabases.Db db) {
    Engine engine = engine(db, 2);
    Session s = new Session(engine);
    Select eager = byId().options(Loaders.selectinload(Author.class, "books"));
    InvalidRequestException e =
        assertThrows(InvalidRequestException.class, () -> s.stream(eager).block());
    assertTrue(e.getMessage().contains("use execute()"), e.getMessage());
    // The chapters' table is gone: the third statement (the chapters' select-in) fails, typed.
    engine.begin(c -> c.execute(Sql.text("DROP TABLE sil_chapter"))).block();
    Select deeper =
        byId()
            .options(
                Loaders.selectinload(Author.class, "books").selectinload(Book.class, "chapters"));
    assertThrows(dev.athanor.error.DatabaseException.class, () -> authors(s, deeper));
    s.rollback().block();
    // Rolled back, the same session loads what is there.
    assertEquals(List.of(11L, 12L), ids(authors(s, eager).get(0).books));
    s.rollback().then(s.close()).block();
    assertEquals(0, engine.poolStatus().checkedOut());
  }
}
