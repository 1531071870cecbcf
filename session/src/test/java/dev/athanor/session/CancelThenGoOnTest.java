package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.error.PendingRollbackException;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A session operation cancelled at a random moment (a few microseconds to a couple of milliseconds
 * after it was subscribed, from the test's thread while its work runs on the driver's), then the
 * session's next awaited call at once: that call is never refused as a concurrent caller. It
 * succeeds, or, when a cancelled flush may have written, it is refused with {@link
 * PendingRollbackException} and the rollback after it succeeds. Nothing is left checked out.
 */
class CancelThenGoOnTest {
  private static final ItemEngines ENGINES = new ItemEngines();

  @AfterAll
  static void disposeEngines() {
    ENGINES.disposeAll();
  }

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  /** The cancelled operations: each may flush first, as a user's would. */
  private static final List<Function<Session, Mono<?>>> CANCELLED =
      List.of(
          s -> s.scalar(Sql.text("SELECT count(*) FROM cancel_load_item")),
          s -> s.execute(Sql.select(Registry.mapperOf(CancelledLoadTest.Item.class))),
          s -> s.get(CancelledLoadTest.Item.class, 1L),
          Session::flush,
          Session::commit);

  /** The next call, awaited right after the cancellation. */
  private static final List<Function<Session, Mono<?>>> NEXT =
      List.of(
          Session::commit,
          Session::rollback,
          s -> s.scalar(Sql.text("SELECT count(*) FROM cancel_load_item")),
          s -> s.get(CancelledLoadTest.Item.class, 2L));

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void theNextCallAfterACancellationIsNeverRefusedAsConcurrent(TestDatabases.Db db)
      throws Exception {
    Engine engine = ENGINES.create(db, ItemEngines.numbered(20));

    long seed = System.nanoTime();
    Random random = new Random(seed);
    long nextId = 1_000;
    int pending = 0;
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Session s = new Session(engine);
      try {
        int added = random.nextInt(3) * 5; // 0, 5 or 10 new objects for an autoflush to write
        for (int k = 0; k < added; k++) {
          s.add(new CancelledLoadTest.Item(nextId++, "n"));
        }
        Function<Session, Mono<?>> cancelled = CANCELLED.get(random.nextInt(CANCELLED.size()));
        Function<Session, Mono<?>> next = NEXT.get(random.nextInt(NEXT.size()));
        Disposable d = cancelled.apply(s).subscribe(v -> {}, e -> {});
        long spin = (long) (Math.pow(random.nextDouble(), 2) * 2_000_000); // mostly short
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < spin) {
          Thread.onSpinWait();
        }
        d.dispose();
        try {
          next.apply(s).block();
        } catch (PendingRollbackException e) {
          pending++;
          s.rollback().block();
        } catch (dev.athanor.error.InvalidRequestException e) {
          refused.add("iteration " + i + ": " + e.getMessage());
          s.rollback().onErrorResume(x -> Mono.empty()).block();
        }
      } finally {
        s.close().block();
      }
    }
    assertEquals(List.of(), refused, "seed " + seed + ": calls refused after a cancellation");
    System.out.println(
        "cancel then go on on " + db.name() + ": seed " + seed + ", pending rollbacks " + pending);
    CancelledLoadTest.awaitPoolQuiet(engine);
  }
}
