package dev.athanor.java;

import static dev.athanor.sql.Sql.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A transaction block of a connection the caller keeps ({@code conn.begin(work)}, {@code
 * conn.beginNested(work)}) cancelled while a statement of its work is in flight. The statement's
 * own future still awaits it, so the cancellation never reaches it; the block's rollback runs after
 * it all the same (it is not refused as a second caller), so what the statement wrote is undone,
 * and the caller's next statement runs after that rollback (it is not refused either).
 *
 * <p>On H2 the cancellation can arrive while the work function still runs on the thread that began
 * the savepoint; the block's rollback is queued at once all the same.
 */
class JavaCancelledBlockTest {
  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return RowLock.join(stage);
  }

  @ParameterizedTest(name = "{0}, nested = {1}")
  @MethodSource("cases")
  void aCancelledBlockRollsBackBehindItsStatementStillInFlight(TestDatabases.Db db, boolean nested)
      throws Exception {
    AsyncEngine engine = AsyncEngine.create(db.url());
    try {
      RowLock.createItems(engine, "jblock_item");
      // Another transaction holds the row's lock: the block's UPDATE waits for it.
      AsyncConnection holder = RowLock.lockRowOne(engine, "jblock_item");

      AsyncConnection conn = join(engine.connect());
      CompletableFuture<Void> sent = RowLock.sentWhen(conn, "'block'");
      // The work hands back a stage that depends on the statement's future: cancelling the block
      // cancels that stage, never the statement's own future, which keeps waiting for it.
      java.util.function.Function<AsyncTransaction, CompletionStage<Long>> work =
          t ->
              conn.execute(text("UPDATE jblock_item SET name = 'block' WHERE id = 1"))
                  .thenApply(r -> r.rowcount());
      CompletableFuture<?> block;
      if (nested) {
        join(conn.begin());
        block = conn.beginNested(work).toCompletableFuture();
      } else {
        block = conn.begin(work).toCompletableFuture();
      }
      sent.get(10, TimeUnit.SECONDS);
      assertTrue(block.cancel(true));

      join(holder.rollback());
      join(holder.close());
      // The block's rollback (or rollback to its savepoint) ran after the UPDATE ended.
      assertEquals(
          "before",
          join(conn.scalar(text("SELECT name FROM jblock_item WHERE id = :id"), Map.of("id", 1))));
      if (nested) {
        assertTrue(conn.inTransaction(), "the outer transaction goes on");
        join(conn.rollback());
      } else {
        join(conn.rollback()); // the SELECT above began a transaction of its own
      }
      assertFalse(conn.inTransaction());
      join(conn.close());
    } finally {
      join(engine.dispose());
    }
  }

  /**
   * The block is cancelled before its BEGIN or SAVEPOINT answered: the begin is queued behind an
   * abandoned UPDATE that waits for a row lock (and, for the outer block, behind a ROLLBACK of the
   * transaction that UPDATE began). It runs to its end all the same; what it began must not stay
   * open for the caller's next statements.
   */
  @ParameterizedTest(name = "{0}, nested = {1}")
  @MethodSource("cases")
  void aBlockCancelledBeforeItsBeginAnsweredLeavesNothingOpen(TestDatabases.Db db, boolean nested)
      throws Exception {
    AsyncEngine engine = AsyncEngine.create(db.url());
    try {
      RowLock.createItems(engine, "jblock_item");
      AsyncConnection holder = RowLock.lockRowOne(engine, "jblock_item");

      AsyncConnection conn = join(engine.connect());
      CompletableFuture<Void> sent = RowLock.sentWhen(conn, "'stmt'");
      if (nested) {
        join(conn.begin());
      }
      CompletableFuture<?> update =
          conn.execute(text("UPDATE jblock_item SET name = 'stmt' WHERE id = 1"))
              .toCompletableFuture();
      sent.get(10, TimeUnit.SECONDS);
      assertTrue(update.cancel(true));
      if (!nested) {
        assertTrue(conn.rollback().toCompletableFuture().cancel(true));
      }
      java.util.function.Function<AsyncTransaction, CompletionStage<Long>> work =
          t -> {
            throw new AssertionError("the block's work must not run");
          };
      CompletableFuture<?> block =
          (nested ? conn.beginNested(work) : conn.begin(work)).toCompletableFuture();
      assertTrue(block.cancel(true));

      join(holder.rollback());
      join(holder.close());
      if (nested) {
        join(conn.execute(text("INSERT INTO jblock_item VALUES (2, 'after')")));
        assertFalse(conn.inNestedTransaction(), "no savepoint of the cancelled block is left");
        assertTrue(conn.inTransaction(), "the outer transaction goes on");
        join(conn.commit());
      } else {
        // Refused with "already has a transaction in progress" if the block's stayed open.
        join(conn.begin(t -> conn.execute(text("INSERT INTO jblock_item VALUES (2, 'after')"))));
      }
      assertFalse(conn.inTransaction());
      Object kept = join(conn.scalar(text("SELECT COUNT(*) FROM jblock_item WHERE id = 2")));
      assertEquals(1L, ((Number) kept).longValue());
      join(conn.rollback());
      join(conn.close());
    } finally {
      join(engine.dispose());
    }
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return dbs().stream()
        .flatMap(db ->
            java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(db, false),
                org.junit.jupiter.params.provider.Arguments.of(db, true)));
  }
}
