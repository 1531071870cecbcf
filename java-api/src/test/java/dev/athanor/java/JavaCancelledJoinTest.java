package dev.athanor.java;

import static dev.athanor.sql.Sql.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.athanor.engine.EngineOptions;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Sql;
import dev.athanor.sql.Table;
import dev.athanor.sql.Types;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A session over two databases whose caller gives up while a second connection joins its
 * transaction inside a savepoint (its {@code afterBegin} listener still running): the join runs to
 * its end, so that the connection is in the savepoint and rolling the savepoint back undoes its
 * work there too.
 */
class JavaCancelledJoinTest {
  static final MetaData META = new MetaData();
  static final Table ORDERS = META.table("jjoin_order", column("id", Types.INTEGER).primaryKey());
  static final Table NOTES = META.table("jjoin_note", column("id", Types.INTEGER).primaryKey());

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return RowLock.join(stage);
  }

  private static AsyncEngine fresh(String url) {
    AsyncEngine e = AsyncEngine.create(url, EngineOptions.defaults().poolSize(2));
    join(e.begin(c -> c.dropAll(META).thenCompose(v -> c.createAll(META))));
    return e;
  }

  private static List<Integer> ids(AsyncEngine e, Table t) {
    return join(e.connect(c -> c.execute(Sql.select(t.c("id")).orderBy(t.c("id"))))).all().stream()
        .map(r -> ((Number) r.get(0)).intValue())
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void aJoinCancelledInItsListenerStillJoinsTheSavepoint(TestDatabases.Db db) throws Exception {
    AsyncEngine orders = fresh(db.url());
    AsyncEngine audit = fresh(TestDatabases.freshH2Url());
    try {
      AsyncSessionMaker sessions = AsyncSessionMaker.of(orders).binds(Map.of(NOTES, audit));
      CompletableFuture<Void> entered = new CompletableFuture<>();
      CompletableFuture<@Nullable Void> gate = new CompletableFuture<>();
      AtomicInteger joins = new AtomicInteger();
      sessions.listen(
          new AsyncSessionListener() {
            @Override
            public CompletionStage<@Nullable Void> afterBegin(
                AsyncSession session, AsyncConnection connection) {
              if (joins.incrementAndGet() != 2) {
                return AsyncSessionListener.done();
              }
              entered.complete(null); // the audit connection joins
              return gate;
            }
          });
      AsyncSession s = sessions.create();
      try {
        join(s.execute(Sql.insert(ORDERS).values(Map.of("id", 1))));
        AsyncSessionTransaction sp = join(s.beginNested());
        CompletableFuture<?> note =
            s.execute(Sql.insert(NOTES).values(Map.of("id", 1))).toCompletableFuture();
        entered.get(10, TimeUnit.SECONDS);
        assertTrue(note.cancel(true));
        gate.complete(null);
        join(s.execute(Sql.insert(NOTES).values(Map.of("id", 2)))); // inside the savepoint
        join(sp.rollback());
        join(s.execute(Sql.insert(NOTES).values(Map.of("id", 3))));
        join(s.commit());
      } finally {
        join(s.close());
      }
      assertEquals(List.of(1), ids(orders, ORDERS));
      assertEquals(List.of(3), ids(audit, NOTES), "the savepoint's rollback undid note 2");
      assertEquals(0, audit.poolStatus().checkedOut());
      assertEquals(0, orders.poolStatus().checkedOut());
    } finally {
      join(orders.dispose());
      join(audit.dispose());
    }
  }
}
