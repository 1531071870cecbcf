package dev.athanor.java;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.EngineOptions;
import dev.athanor.error.PendingRollbackException;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.InstanceState;
import dev.athanor.session.Registry;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cancelling a session's flush future from Java at a random moment: once the flush has sent a
 * statement, the session rolls back and asks for {@code rollback()}; the objects are then written
 * once, never twice, and never half.
 */
class JavaSessionCancellationTest {
  @Entity(table = "jorm_cancel_lines")
  public static class Line {
    @Id private Long id;

    @Column(length = 20, nullable = false)
    private String tag;

    private int n;

    private Line() {}

    Line(String tag, int n) {
      this.tag = tag;
      this.n = n;
    }
  }

  static final Registry REGISTRY = new Registry();

  static {
    REGISTRY.map(Line.class);
  }

  /** Three INSERT statements per flush (a flush sends up to 1,000 rows in one). */
  static final int ROWS = 2_500;

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static long count(AsyncEngine engine, String tag) {
    Object n =
        join(
            engine.connect(c ->
                c.scalar(
                    Sql.text("SELECT count(*) FROM jorm_cancel_lines WHERE tag = :t"),
                    Map.of("t", tag))));
    return ((Number) n).longValue();
  }

  private static void checkWrittenOnce(
      AsyncEngine engine, AsyncSession s, String tag, List<Line> lines) {
    assertEquals(ROWS, count(engine, tag), tag);
    HashSet<Long> ids = new HashSet<>();
    for (Line l : lines) {
      ids.add(l.id);
      assertEquals(InstanceState.Status.PERSISTENT, s.inspect(l).status());
    }
    assertEquals(ROWS, ids.size());
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aFlushFutureCancelledAtRandomWritesItsObjectsOnceOrNotAtAll(TestDatabases.Db db)
      throws InterruptedException {
    AsyncEngine engine = AsyncEngine.create(db.url(), EngineOptions.defaults().poolSize(2));
    try {
      join(
          engine.begin(conn ->
              conn.dropAll(REGISTRY.metadata())
                  .thenCompose(v -> conn.createAll(REGISTRY.metadata()))));
      Random random = new Random(41);
      int askedForRollback = 0;
      for (int i = 0; i < 20; i++) {
        String tag = "j" + i;
        List<Line> lines = new ArrayList<>();
        for (int k = 0; k < ROWS; k++) {
          lines.add(new Line(tag, k));
        }
        AsyncSession s = AsyncSession.of(engine);
        try {
          s.addAll(lines);
          CompletableFuture<?> flush = s.flush().toCompletableFuture();
          Thread.sleep(random.nextInt(25));
          flush.cancel(true);
          boolean committed;
          try {
            join(s.commit());
            committed = true;
          } catch (CompletionException e) {
            PendingRollbackException p =
                assertInstanceOf(PendingRollbackException.class, e.getCause());
            assertTrue(p.getMessage().contains("cancelled"), p.getMessage());
            join(s.rollback());
            committed = false;
            askedForRollback++;
          }
          if (committed) {
            checkWrittenOnce(engine, s, tag, lines);
          } else {
            assertEquals(0, count(engine, tag), tag);
            for (Line l : lines) {
              assertEquals(InstanceState.Status.TRANSIENT, s.inspect(l).status());
            }
            s.addAll(lines);
            join(s.commit());
            checkWrittenOnce(engine, s, tag, lines);
          }
        } finally {
          join(s.close());
        }
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (engine.poolStatus().checkedOut() != 0 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertEquals(0, engine.poolStatus().checkedOut(), "connections left checked out");
      System.out.println(
          "Java face, cancelled flushes asking for rollback on "
              + db.name()
              + ": "
              + askedForRollback);
    } finally {
      join(engine.dispose());
    }
  }
}
