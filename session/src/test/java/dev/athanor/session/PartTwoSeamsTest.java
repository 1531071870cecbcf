package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.engine.EngineListener;
import dev.athanor.engine.ExecuteContext;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seams relationships will plug into, proved with a stand-in before they exist: a loader
 * strategy that fills a list of child objects with one statement of its own after each load (a
 * small select-in loader), and a cascade that carries add, delete, expunge and merge from an order
 * to its lines. On both databases.
 */
class PartTwoSeamsTest {
  @Entity(table = "seam_order")
  static class SeamOrder {
    @Id(generated = false)
    Long id;

    @Column(length = 20)
    String name;

    /** Filled by the stand-in loader; followed by the stand-in cascade. */
    @Transient List<SeamLine> lines = new ArrayList<>();

    SeamOrder() {}

    SeamOrder(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  @Entity(table = "seam_line")
  static class SeamLine {
    @Id(generated = false)
    Long id;

    @Column(references = "seam_order.id")
    Long orderId;

    @Column(length = 20)
    String item;

    SeamLine() {}

    SeamLine(long id, long orderId, String item) {
      this.id = id;
      this.orderId = orderId;
      this.item = item;
    }
  }

  private static final Registry REGISTRY = new Registry();
  private static final List<Cascade.Operation> CASCADED = new CopyOnWriteArrayList<>();

  static {
    REGISTRY.map(SeamOrder.class);
    REGISTRY.map(SeamLine.class);
    Mapper<SeamOrder> orders = Registry.mapperOf(SeamOrder.class);
    Mapper<SeamLine> lines = Registry.mapperOf(SeamLine.class);
    orders.addCascade((op, o) -> {
      CASCADED.add(op);
      return ((SeamOrder) o).lines;
    });
    // A small select-in loader: one statement for every order the load populated.
    orders.addLoader((session, objects) -> {
      List<Long> ids = objects.stream().map(o -> ((SeamOrder) o).id).toList();
      return session
          .loadQuery(
              Sql.select(lines)
                  .where(lines.<Long>attribute("orderId").in(ids))
                  .orderBy(lines.attribute("id").asc()))
          .doOnNext(r -> {
            for (Object o : objects) {
              ((SeamOrder) o).lines = new ArrayList<>();
            }
            for (SeamLine l : r.<SeamLine>scalars().all()) {
              for (Object o : objects) {
                if (((SeamOrder) o).id.equals(l.orderId)) {
                  ((SeamOrder) o).lines.add(l);
                }
              }
            }
          })
          .then();
    });
  }

  private static final List<Engine> ENGINES = new CopyOnWriteArrayList<>();

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static Engine engine(TestDatabases.Db db) {
    Engine engine = Engine.create(db.url());
    ENGINES.add(engine);
    engine
        .begin(c -> REGISTRY.metadata().dropAll(c).then(REGISTRY.metadata().createAll(c)))
        .block();
    return engine;
  }

  @AfterAll
  static void disposeEngines() {
    for (Engine e : ENGINES) {
      e.dispose().block();
    }
  }

  private static SeamOrder orderWithLines(long id) {
    SeamOrder o = new SeamOrder(id, "o" + id);
    o.lines.add(new SeamLine(id * 10 + 1, id, "a"));
    o.lines.add(new SeamLine(id * 10 + 2, id, "b"));
    return o;
  }

  private static long count(Engine engine, String table) {
    return ((Number)
            engine.connect(c -> c.scalar(Sql.text("SELECT count(*) FROM " + table))).block())
        .longValue();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void addCascadesToTheLinesAndTheFlushWritesOrdersFirst(TestDatabases.Db db) {
    Engine engine = engine(db);
    Session s = new Session(engine);
    SeamOrder o = orderWithLines(1);
    s.add(o);
    assertEquals(3, s.getNew().size());
    assertTrue(s.contains(o.lines.get(1)));
    s.commit().then(s.close()).block();
    assertEquals(2, count(engine, "seam_line"));
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aLoaderStrategyRunsItsOwnStatementAfterTheLoadOnTheSameTransaction(TestDatabases.Db db) {
    Engine engine = engine(db);
    Session writer = new Session(engine);
    writer.add(orderWithLines(1));
    writer.add(orderWithLines(2));
    writer.commit().then(writer.close()).block();

    List<String> statements = new CopyOnWriteArrayList<>();
    EngineListener spy =
        new EngineListener() {
          @Override
          public void beforeExecute(ExecuteContext context) {
            statements.add(context.sql());
          }
        };
    engine.events().add(spy);
    try {
      Session s = new Session(engine);
      // An uncommitted line: the loader's statement runs in the session's transaction and sees it.
      s.add(new SeamLine(13, 1, "c"));
      List<SeamOrder> loaded =
          s.execute(
                  Sql.select(Registry.mapperOf(SeamOrder.class))
                      .orderBy(Registry.mapperOf(SeamOrder.class).attribute("id").asc()))
              .map(r -> r.<SeamOrder>scalars().all())
              .block();
      assertEquals(2, loaded.size());
      assertEquals(List.of(11L, 12L, 13L), loaded.get(0).lines.stream().map(l -> l.id).toList());
      assertEquals(List.of(21L, 22L), loaded.get(1).lines.stream().map(l -> l.id).toList());
      // The lines are the session's own objects.
      assertSame(loaded.get(1).lines.get(0), s.get(SeamLine.class, 21L).block());
      long selects = statements.stream().filter(q -> q.startsWith("SELECT")).count();
      assertEquals(2, selects, statements.toString());

      // Loaded again without being expired: nothing populated, so the loader has nothing to do.
      statements.clear();
      s.execute(Sql.select(Registry.mapperOf(SeamOrder.class))).block();
      assertEquals(1, statements.stream().filter(q -> q.startsWith("SELECT")).count());

      // A stream cannot run the loader's statements while it holds the connection: refused.
      InvalidRequestException e =
          assertThrows(
              InvalidRequestException.class,
              () -> s.stream(Sql.select(Registry.mapperOf(SeamOrder.class))).block());
      assertTrue(e.getMessage().contains("use execute()"), e.getMessage());
      s.rollback().then(s.close()).block();
    } finally {
      engine.events().remove(spy);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void deleteAndExpungeCascadeToObjectsInTheSession(TestDatabases.Db db) {
    Engine engine = engine(db);
    Session writer = new Session(engine);
    writer.add(orderWithLines(1));
    writer.add(orderWithLines(2));
    writer.commit().then(writer.close()).block();

    Session s = new Session(engine);
    List<SeamOrder> orders =
        s.execute(Sql.select(Registry.mapperOf(SeamOrder.class)))
            .map(r -> r.<SeamOrder>scalars().all())
            .block();
    SeamOrder first = orders.stream().filter(o -> o.id == 1L).findFirst().orElseThrow();
    SeamOrder second = orders.stream().filter(o -> o.id == 2L).findFirst().orElseThrow();
    // Deleting the order deletes its lines too; the flush deletes the lines first.
    s.delete(first).then(s.flush()).block();
    long inTransaction =
        ((Number)
                s.connection()
                    .flatMap(c -> c.scalar(Sql.text("SELECT count(*) FROM seam_line")))
                    .block())
            .longValue();
    assertEquals(2, inTransaction);
    s.expunge(second);
    assertFalse(s.contains(second));
    assertFalse(s.contains(second.lines.get(0)));
    s.commit().then(s.close()).block();
    assertEquals(2, count(engine, "seam_line"));
    assertEquals(1, count(engine, "seam_order"));
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void mergeCascadesToTheLines(TestDatabases.Db db) {
    Engine engine = engine(db);
    Session writer = new Session(engine);
    SeamOrder detached = orderWithLines(1);
    writer.add(detached);
    writer.commit().then(writer.close()).block();

    detached.lines.get(0).item = "changed";
    CASCADED.clear();
    Session s = new Session(engine);
    SeamOrder copy = s.merge(detached).block();
    assertNotSame(detached, copy);
    assertTrue(CASCADED.contains(Cascade.Operation.MERGE));
    SeamLine line = s.get(SeamLine.class, 11L).block();
    assertNotSame(detached.lines.get(0), line);
    assertEquals("changed", line.item);
    assertTrue(s.isModified(line));
    s.commit().then(s.close()).block();
    assertEquals(
        "changed",
        engine
            .connect(c -> c.scalar(Sql.text("SELECT item FROM seam_line WHERE id = 11")))
            .block());
  }
}
