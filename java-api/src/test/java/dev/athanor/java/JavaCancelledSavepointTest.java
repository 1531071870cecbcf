package dev.athanor.java;

import static dev.athanor.sql.Sql.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A session's savepoint block ({@code session.beginNested(work)}) cancelled while its SAVEPOINT
 * waits behind an abandoned UPDATE held by a row lock: the SAVEPOINT still runs, and must not stay
 * open on the session's connection with no savepoint level to end it.
 */
class JavaCancelledSavepointTest {
  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return RowLock.join(stage);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void aSavepointBlockCancelledBeforeItsSavepointAnsweredLeavesNoneOpen(TestDatabases.Db db)
      throws Exception {
    AsyncEngine engine = AsyncEngine.create(db.url());
    try {
      RowLock.createItems(engine, "jsp_item");
      AsyncConnection holder = RowLock.lockRowOne(engine, "jsp_item");

      AsyncSession s = AsyncSession.of(engine);
      join(s.execute(text("SELECT 1"))); // the session's connection joins
      AsyncConnection conn = join(s.connection());
      CompletableFuture<Void> sent = RowLock.sentWhen(conn, "'stmt'");
      CompletableFuture<?> update =
          s.execute(text("UPDATE jsp_item SET name = 'stmt' WHERE id = 1")).toCompletableFuture();
      sent.get(10, TimeUnit.SECONDS);
      assertTrue(update.cancel(true));
      CompletableFuture<?> block =
          s.beginNested(
                  t -> {
                    throw new AssertionError("the block's work must not run");
                  })
              .toCompletableFuture();
      assertTrue(block.cancel(true));

      join(holder.rollback());
      join(holder.close());
      join(s.execute(text("INSERT INTO jsp_item VALUES (2, 'after')")));
      assertFalse(s.inNestedTransaction());
      assertFalse(conn.inNestedTransaction(), "no SAVEPOINT of the cancelled block is left");
      join(s.commit());
      join(s.close());
      Object kept =
          join(engine.connect(c -> c.scalar(text("SELECT COUNT(*) FROM jsp_item WHERE id = 2"))));
      assertEquals(1L, ((Number) kept).longValue());
    } finally {
      join(engine.dispose());
    }
  }
}
