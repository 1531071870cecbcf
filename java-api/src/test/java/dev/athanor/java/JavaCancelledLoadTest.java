package dev.athanor.java;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.PoolStatus;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.Registry;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.Gate;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java face: a query or {@code get} future cancelled while the session loads its rows. The load
 * is held at a gate in the first object's constructor; the cancelled future completes at once, the
 * load ends all the same, a plain call meanwhile is refused naming it, and the session's next call
 * waits for the load and then finds one object per row.
 *
 * <p>On PostgreSQL only: H2 delivers the rows on the thread that subscribes, so there the future is
 * handed out only once the load is over, and nothing can cancel it mid-load.
 */
class JavaCancelledLoadTest {
  static final Gate GATE = new Gate();

  @Entity(table = "jcancel_load_item")
  public static class Item {
    @Id(generated = false)
    private Long id;

    @Column(length = 20)
    private String name;

    /** The constructor the load calls: the first object after {@link Gate#arm} waits. */
    private Item() {
      GATE.pass();
    }

    Item(long id, String name) {
      this.id = id;
      this.name = name;
    }
  }

  static final Registry REGISTRY = new Registry();
  static final int ROWS = 30;

  static {
    REGISTRY.map(Item.class);
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (TestDatabases.Db db : TestDatabases.all()) {
      if (!db.isPostgres()) {
        continue;
      }
      for (String call : List.of("query", "get")) {
        for (String next : List.of("query", "get", "commit", "rollback", "close")) {
          all.add(Arguments.of(db, call, next));
        }
      }
    }
    return all.stream();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @ParameterizedTest(name = "{0}: a {1} future cancelled while it loads, then {2}")
  @MethodSource("cases")
  void theNextCallWaitsForTheCancelledLoad(TestDatabases.Db db, String call, String next)
      throws Exception {
    AsyncEngine engine = AsyncEngine.create(db.url());
    try {
      join(
          engine.begin(conn ->
              conn.dropAll(REGISTRY.metadata())
                  .thenCompose(v -> conn.createAll(REGISTRY.metadata()))));
      AsyncSession writer = AsyncSession.of(engine);
      for (long i = 1; i <= ROWS; i++) {
        writer.add(new Item(i, "i" + i));
      }
      join(writer.commit().thenCompose(v -> writer.close()));

      AsyncSession s = AsyncSession.of(engine);
      GATE.arm();
      try {
        CompletableFuture<?> load =
            (call.equals("get")
                    ? s.get(Item.class, 7L)
                    : s.execute(Sql.select(Registry.mapperOf(Item.class))))
                .toCompletableFuture();
        GATE.awaitEntered();
        assertTrue(load.cancel(true), "the load was still under way");

        InvalidRequestException busy =
            assertThrows(InvalidRequestException.class, () -> s.add(new Item(1000, "late")));
        String name = call.equals("get") ? "get()" : "execute()";
        assertTrue(busy.getMessage().contains("finishing " + name), busy.getMessage());

        CompletableFuture<?> after = nextCall(s, next).toCompletableFuture();
        Thread.sleep(300);
        assertFalse(after.isDone(), "the next call ran while the cancelled load was loading");
        GATE.open();
        after.get(20, TimeUnit.SECONDS);
      } finally {
        GATE.open();
      }

      if (!next.equals("close")) {
        List<Item> items = join(s.<Item>scalars(Sql.select(Registry.mapperOf(Item.class)))).all();
        assertEquals(ROWS, items.size());
        Set<Item> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(items);
        assertEquals(ROWS, distinct.size(), "one object per row");
        for (Item i : items) {
          assertSame(i, join(s.get(Item.class, i.id)));
        }
        join(s.commit());
      }
      join(s.close());
      awaitPoolQuiet(engine);
    } finally {
      join(engine.dispose());
    }
  }

  private static CompletionStage<?> nextCall(AsyncSession s, String next) {
    return switch (next) {
      case "query" -> s.execute(Sql.select(Registry.mapperOf(Item.class)));
      case "get" -> s.get(Item.class, 3L);
      case "commit" -> s.commit();
      case "rollback" -> s.rollback();
      case "close" -> s.close();
      default -> throw new IllegalArgumentException(next);
    };
  }

  private static void awaitPoolQuiet(AsyncEngine engine) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    PoolStatus st = engine.poolStatus();
    while (st != null && (st.checkedOut() != 0 || st.pending() != 0)) {
      assertTrue(System.nanoTime() < deadline, "connections still checked out: " + st);
      Thread.sleep(20);
      st = engine.poolStatus();
    }
  }
}
