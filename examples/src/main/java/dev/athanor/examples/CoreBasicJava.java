package dev.athanor.examples;

import static dev.athanor.sql.Sql.column;
import static dev.athanor.sql.Sql.insert;
import static dev.athanor.sql.Sql.select;

import dev.athanor.java.AsyncEngine;
import dev.athanor.result.Row;
import dev.athanor.sql.Column;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Table;
import dev.athanor.sql.Types;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;

/**
 * The Core example of SQLAlchemy's asyncio documentation, through the Java face: create a table
 * with {@code runSync}, insert two rows, read a buffered result, then stream one.
 *
 * <p>Runs on embedded H2 by default; pass a URL as the first argument (or set ATHANOR_URL) to run
 * on PostgreSQL.
 */
public final class CoreBasicJava {
  private CoreBasicJava() {}

  /** Runs the example. */
  public static void main(String[] args) {
    String url =
        args.length > 0
            ? args[0]
            : System.getenv().getOrDefault("ATHANOR_URL", "h2:mem:///example_java");

    MetaData meta = new MetaData();
    Table t1 = meta.table("t1", column("name", Types.string(50)).primaryKey());
    Column<String> name = t1.c("name");

    AsyncEngine engine = AsyncEngine.create(url);
    try {
      engine
          .begin(conn ->
              conn.runSync(
                      sync -> {
                        meta.dropAll(sync);
                        meta.createAll(sync);
                        return null;
                      })
                  .thenCompose(ignored ->
                      conn.execute(
                          insert(t1),
                          List.of(Map.of("name", "some name 1"), Map.of("name", "some name 2")))))
          .toCompletableFuture()
          .join();

      engine
          .connect(conn ->
              conn.execute(select(t1).where(name.eq("some name 1")))
                  .thenAccept(result -> System.out.println(result.fetchall()))
                  .thenCompose(ignored -> conn.stream(select(t1).orderBy(name)))
                  .thenCompose(stream ->
                      Flux.from(stream.publisher())
                          .doOnNext((Row row) -> System.out.println(row))
                          .then()
                          .toFuture()))
          .toCompletableFuture()
          .join();
    } finally {
      engine.dispose().toCompletableFuture().join();
    }
  }
}
