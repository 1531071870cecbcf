package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.engine.PoolStatus;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.Gate;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A query or {@code get} whose caller is cancelled while the session loads its rows (on the thread
 * that delivered them): the load ends, and the session's next operation waits for it instead of
 * changing the identity map beside it. The load is held at a gate (the first object's constructor,
 * or a loader strategy after the load) so that the cancellation lands inside it every time.
 */
class CancelledLoadTest {
  static final Gate GATE = new Gate();

  @Entity(table = "cancel_load_item")
  static class Item {
    @Id(generated = false)
    Long id;

    @Column(length = 20)
    String name;

    /** The constructor the load calls: the first object after {@link Gate#arm} waits. */
    Item() {
      GATE.pass();
    }

    Item(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  @Entity(table = "cancel_load_box")
  static class Box {
    @Id(generated = false)
    Long id;

    @Column(length = 20)
    String name;

    /** Set by the loader strategy, which waits at the gate first. */
    @Transient boolean filled;

    Box() {}

    Box(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  private static final Registry REGISTRY = new Registry();

  static Registry registry() {
    return REGISTRY;
  }

  private static final int ROWS = 50;

  static {
    REGISTRY.map(Item.class);
    REGISTRY.map(Box.class);
    // A loader strategy that runs after the load on a thread of its own, held at the gate.
    Registry.mapperOf(Box.class)
        .addLoader((session, objects) ->
            Mono.fromRunnable(
                    () -> {
                      GATE.pass();
                      objects.forEach(o -> ((Box) o).filled = true);
                    })
                .subscribeOn(Schedulers.boundedElastic())
                .then());
  }

  private static final List<Engine> ENGINES = new CopyOnWriteArrayList<>();

  private static Engine engine(TestDatabases.Db db) {
    Engine engine = Engine.create(db.url());
    ENGINES.add(engine);
    engine
        .begin(c -> REGISTRY.metadata().dropAll(c).then(REGISTRY.metadata().createAll(c)))
        .block();
    Session writer = new Session(engine);
    for (long i = 1; i <= ROWS; i++) {
      writer.add(new Item(i, "i" + i));
      writer.add(new Box(i, "b" + i));
    }
    writer.commit().then(writer.close()).block();
    return engine;
  }

  @AfterAll
  static void disposeEngines() {
    for (Engine e : ENGINES) {
      e.dispose().block();
    }
  }

  /** What the cancelled call was: a query of items, a get of an item, a query of boxes. */
  enum Load {
    QUERY(s -> s.execute(Sql.select(Registry.mapperOf(Item.class))).then()),
    GET(s -> s.get(Item.class, 7L).then()),
    STRATEGY(s -> s.execute(Sql.select(Registry.mapperOf(Box.class))).then());

    final Function<Session, Mono<Void>> call;

    Load(Function<Session, Mono<Void>> call) {
      this.call = call;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (TestDatabases.Db db : TestDatabases.all()) {
      for (Load load : Load.values()) {
        for (String next : List.of("query", "get", "commit", "rollback", "runSync", "close")) {
          all.add(Arguments.of(db, load, next));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1} cancelled while it loads, then {2}")
  @MethodSource("cases")
  void theNextOperationWaitsForTheCancelledLoad(TestDatabases.Db db, Load load, String next)
      throws Exception {
    Engine engine = engine(db);
    Session s = new Session(engine);
    GATE.arm();
    Disposable cancelled;
    try {
      // Subscribed on a thread of its own: H2 may deliver the rows on the subscribing thread.
      cancelled = load.call.apply(s).subscribeOn(Schedulers.boundedElastic()).subscribe();
      GATE.awaitEntered();
      cancelled.dispose();

      // A plain call cannot wait: refused, naming the operation still loading.
      InvalidRequestException busy =
          assertThrows(InvalidRequestException.class, () -> s.add(new Item(1000, "late")));
      String name = load == Load.GET ? "get()" : "execute()";
      assertTrue(busy.getMessage().contains("finishing " + name), busy.getMessage());

      CompletableFuture<?> after = nextCall(s, next).toFuture();
      // Held behind the gate: the next operation has not run beside the load.
      Thread.sleep(300);
      assertFalse(after.isDone(), "the next operation ran while the cancelled load was loading");
      GATE.open();
      after.get(20, TimeUnit.SECONDS);
    } finally {
      GATE.open();
    }

    if (!next.equals("close")) {
      // The session's maps are whole: one object per row, each the session's own.
      List<Item> items =
          s.execute(Sql.select(Registry.mapperOf(Item.class)))
              .map(r -> r.<Item>scalars().all())
              .block();
      assertEquals(ROWS, items.size());
      Set<Item> distinct = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
      distinct.addAll(items);
      assertEquals(ROWS, distinct.size());
      for (Item i : items) {
        assertSame(i, s.get(Item.class, i.id).block());
      }
      if (load == Load.STRATEGY && !next.equals("commit") && !next.equals("rollback")) {
        // The abandoned load ran its loader to the end on the objects it made.
        List<Box> boxes =
            s.execute(Sql.select(Registry.mapperOf(Box.class)))
                .map(r -> r.<Box>scalars().all())
                .block();
        assertTrue(boxes.stream().allMatch(b -> b.filled));
      }
      s.commit().block();
    }
    s.close().block();
    awaitPoolQuiet(engine);
  }

  private static Mono<?> nextCall(Session s, String next) {
    return switch (next) {
      case "query" -> s.execute(Sql.select(Registry.mapperOf(Item.class)));
      case "get" -> s.get(Item.class, 3L);
      case "commit" -> s.commit();
      case "rollback" -> s.rollback();
      case "runSync" -> s.runSync(sync -> sync.get(Item.class, 3L));
      case "close" -> s.close();
      default -> throw new IllegalArgumentException(next);
    };
  }

  static void awaitPoolQuiet(Engine engine) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    PoolStatus st = engine.poolStatus();
    while (st != null && (st.checkedOut() != 0 || st.pending() != 0)) {
      assertTrue(System.nanoTime() < deadline, "connections still checked out: " + st);
      Thread.sleep(20);
      st = engine.poolStatus();
    }
  }
}
