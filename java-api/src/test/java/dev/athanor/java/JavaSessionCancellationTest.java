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
import java.util.concurrent.CountDownLatch;
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

  /**
   * The commit future cancelled at a random moment: whatever the moment, the session's next commit
   * (or the rollback it asks for) waits for what the cancelled one started, and the rows are there
   * once or not at all, the objects persistent exactly when they are.
   */
  @ParameterizedTest
  @MethodSource("dbs")
  void aCommitFutureCancelledAtRandomCommitsOnceOrNotAtAll(TestDatabases.Db db)
      throws InterruptedException {
    AsyncEngine engine = AsyncEngine.create(db.url(), EngineOptions.defaults().poolSize(2));
    try {
      join(
          engine.begin(conn ->
              conn.dropAll(REGISTRY.metadata())
                  .thenCompose(v -> conn.createAll(REGISTRY.metadata()))));
      Random random = new Random(43);
      for (int i = 0; i < 20; i++) {
        String tag = "c" + i;
        List<Line> lines = new ArrayList<>();
        for (int k = 0; k < ROWS; k++) {
          lines.add(new Line(tag, k));
        }
        AsyncSession s = AsyncSession.of(engine);
        try {
          s.addAll(lines);
          CompletableFuture<?> commit = s.commit().toCompletableFuture();
          Thread.sleep(random.nextInt(30));
          commit.cancel(true);
          try {
            join(s.commit());
          } catch (CompletionException e) {
            assertInstanceOf(PendingRollbackException.class, e.getCause());
            join(s.rollback());
          }
          long n = count(engine, tag);
          if (n == 0) {
            for (Line l : lines) {
              assertEquals(InstanceState.Status.TRANSIENT, s.inspect(l).status(), tag);
            }
          } else {
            checkWrittenOnce(engine, s, tag, lines);
            join(s.rollback()); // nothing to roll back: the objects stay
            assertEquals(InstanceState.Status.PERSISTENT, s.inspect(lines.get(0)).status());
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
    } finally {
      join(engine.dispose());
    }
  }

  /**
   * The commit future cancelled while the database commits (an engine listener holds the commit
   * there, reached on another thread through a beforeCommit stage): the commit ends, and the next
   * commit, rollback and close wait for it and find the objects committed.
   */
  @ParameterizedTest
  @MethodSource("dbs")
  void aCommitFutureCancelledWhileTheDatabaseCommitsStillCommits(TestDatabases.Db db)
      throws InterruptedException {
    AsyncEngine engine = AsyncEngine.create(db.url(), EngineOptions.defaults().poolSize(2));
    CountDownLatch reached = new CountDownLatch(1);
    dev.athanor.engine.EngineListener slowCommit =
        new dev.athanor.engine.EngineListener() {
          @Override
          public void onCommit(dev.athanor.engine.Connection connection) {
            reached.countDown();
            try {
              Thread.sleep(500);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try {
      join(
          engine.begin(conn ->
              conn.dropAll(REGISTRY.metadata())
                  .thenCompose(v -> conn.createAll(REGISTRY.metadata()))));
      List<Line> lines = new ArrayList<>();
      for (int k = 0; k < ROWS; k++) {
        lines.add(new Line("slow", k));
      }
      AsyncSession s = AsyncSession.of(engine);
      try {
        s.listen(
            new AsyncSessionListener() {
              @Override
              public CompletionStage<@org.jspecify.annotations.Nullable Void> beforeCommit(
                  AsyncSession session) {
                return CompletableFuture.runAsync(
                    () -> {}, CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS));
              }
            });
        s.addAll(lines);
        join(s.flush());
        engine.events().add(slowCommit);
        CompletableFuture<?> commit = s.commit().toCompletableFuture();
        // Cancelled once the COMMIT has reached the engine, where the listener holds it.
        assertTrue(reached.await(30, TimeUnit.SECONDS), "the commit reached the engine");
        assertTrue(commit.cancel(true), "the commit was still under way");
        assertThrows(
            dev.athanor.error.InvalidRequestException.class, () -> s.add(new Line("late", 0)));
        join(s.commit());
        engine.events().remove(slowCommit);
        checkWrittenOnce(engine, s, "slow", lines);
        join(s.rollback());
        assertEquals(InstanceState.Status.PERSISTENT, s.inspect(lines.get(0)).status());
      } finally {
        engine.events().remove(slowCommit);
        join(s.close());
      }
    } finally {
      join(engine.dispose());
    }
  }
}
