package dev.athanor.java;

import static dev.athanor.sql.Sql.text;

import dev.athanor.engine.EngineListener;
import dev.athanor.engine.ExecuteContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The set-up of the cancellation tests that need a statement held in flight: a table whose row 1
 * another connection's transaction keeps locked, so that an UPDATE of that row waits until the
 * holder rolls back.
 */
final class RowLock {
  private RowLock() {}

  static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Creates {@code table} (id, name) afresh with row (1, 'before'). */
  static void createItems(AsyncEngine engine, String table) {
    join(
        engine.begin(c ->
            c.execute(text("DROP TABLE IF EXISTS " + table))
                .thenCompose(r ->
                    c.execute(
                        text("CREATE TABLE " + table + " (id INT PRIMARY KEY, name VARCHAR(20))")))
                .thenCompose(
                    r -> c.execute(text("INSERT INTO " + table + " VALUES (1, 'before')")))));
  }

  /** Begins a transaction that updates row 1 and keeps its lock until rolled back. */
  static AsyncConnection lockRowOne(AsyncEngine engine, String table) {
    AsyncConnection holder = join(engine.connect());
    join(holder.begin());
    join(holder.execute(text("UPDATE " + table + " SET name = 'holder' WHERE id = 1")));
    return holder;
  }

  /** Completes when {@code conn} is about to send a statement whose SQL contains {@code marker}. */
  static CompletableFuture<Void> sentWhen(AsyncConnection conn, String marker) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    conn.events()
        .add(
            new EngineListener() {
              @Override
              public void beforeExecute(ExecuteContext context) {
                if (context.sql().contains(marker)) {
                  sent.complete(null);
                }
              }
            });
    return sent;
  }
}
