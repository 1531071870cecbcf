package dev.athanor.java;

import static dev.athanor.sql.Sql.column;
import static dev.athanor.sql.Sql.insert;
import static dev.athanor.sql.Sql.select;
import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.EngineOptions;
import dev.athanor.error.IntegrityException;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.result.Row;
import dev.athanor.sql.Column;
import dev.athanor.sql.CustomExpression;
import dev.athanor.sql.ExecutionOptions;
import dev.athanor.sql.Expression;
import dev.athanor.sql.Func;
import dev.athanor.sql.MetaData;
import dev.athanor.sql.Sql;
import dev.athanor.sql.SqlWriter;
import dev.athanor.sql.Table;
import dev.athanor.sql.Types;
import dev.athanor.testkit.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

/** The Java face, as a Java caller uses it, on every database. */
class JavaFaceTest {
  private final MetaData meta = new MetaData();
  private final Table items =
      meta.table(
          "jface_items",
          column("id", Types.INTEGER).primaryKey(),
          column("label", Types.string(20)).notNull().unique());
  private final Column<Integer> id = items.c("id");
  private final Column<String> label = items.c("label");

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private AsyncEngine engine(TestDatabases.Db db) {
    AsyncEngine engine =
        AsyncEngine.create(db.url(), EngineOptions.defaults().poolSize(2).maxOverflow(0));
    join(engine.begin(conn -> conn.dropAll(meta).thenCompose(v -> conn.createAll(meta))));
    return engine;
  }

  private long count(AsyncEngine engine) {
    return ((Number) join(engine.connect(c -> c.scalar(select(Func.count()).selectFrom(items)))))
        .longValue();
  }

  /**
   * Inserts {@code n} rows labelled {@code l<first>}, {@code l<first + 1>}, ... in one transaction.
   */
  private void seed(AsyncEngine engine, int first, int n) {
    join(
        engine.begin(c ->
            c.execute(
                insert(items),
                IntStream.range(first, first + n)
                    .mapToObj(i -> Map.<String, Object>of("label", "l" + i))
                    .toList())));
  }

  private void cleanup(AsyncEngine engine) {
    join(engine.begin(conn -> conn.dropAll(meta)));
    join(engine.dispose());
  }

  /** {@code left || sep || right}, written with each dialect's concatenation. */
  static final class Joined extends CustomExpression<String> {
    Joined(Expression<String> left, String separator, Expression<String> right) {
      super(Types.TEXT, left, Sql.literal(separator), right);
    }

    @Override
    protected void render(SqlWriter out) {
      if (out.dialect().isH2()) {
        out.sql("CONCAT(").part(0).sql(", ").part(1).sql(", ").part(2).sql(")");
      } else {
        out.sql("(").part(0).sql(" || ").part(1).sql(" || ").part(2).sql(")");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aCustomExpressionRunsThroughTheJavaFace(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      seed(engine, 1, 3);
      Joined joined = new Joined(label, "-", Sql.cast(id, Types.TEXT));
      List<String> out =
          join(
              engine.connect(c ->
                  c.execute(select(joined).where(joined.ne("l2-2")).orderBy(id.asc()))
                      .thenApply(r -> r.<String>scalars().all())));
      assertEquals(List.of("l1-1", "l3-3"), out);
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void newConnectionStartsOnlyWhenAsked(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      AsyncConnection conn = engine.newConnection();
      assertEquals(0, engine.core().poolStatus().checkedOut());
      CompletionException notStarted =
          assertThrows(
              CompletionException.class,
              () -> join(conn.scalar(select(Func.count()).selectFrom(items))));
      assertTrue(notStarted.getCause().getMessage().contains("call start() first"));
      assertSame(conn, join(conn.start()));
      assertEquals(1, engine.core().poolStatus().checkedOut());
      assertEquals(
          0L, ((Number) join(conn.scalar(select(Func.count()).selectFrom(items)))).longValue());
      join(conn.close());
      assertEquals(0, engine.core().poolStatus().checkedOut());
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void connectionScopedTransactionsAndSavepoints(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      join(
          engine.connect(c ->
              c.begin(
                      t -> {
                        assertSame(c, t.connection());
                        return c.execute(insert(items), Map.of("label", "kept"))
                            .thenCompose(r ->
                                c.beginNested(sp ->
                                        c.execute(insert(items), Map.of("label", "undone"))
                                            .thenCompose(r2 ->
                                                CompletableFuture.<Void>failedFuture(
                                                    new IllegalStateException("undo"))))
                                    .handle((v, err) -> {
                                      assertInstanceOf(
                                          IllegalStateException.class,
                                          err instanceof CompletionException
                                              ? err.getCause()
                                              : err);
                                      return null;
                                    }));
                      })
                  .thenCompose(v -> c.begin(t -> t.commit()))));
      assertEquals(1, count(engine));
      // A block that committed itself leaves nothing for the scope to end.
      assertEquals(0, engine.poolStatus().checkedOut());
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aStatementAfterAnEarlyCommitInsideAScopeIsRefused(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      CompletionException inEngineBegin =
          assertThrows(
              CompletionException.class,
              () ->
                  join(
                      engine.begin(c ->
                          c.commit()
                              .thenCompose(v -> c.execute(insert(items), Map.of("label", "x"))))));
      assertInstanceOf(InvalidRequestException.class, inEngineBegin.getCause());
      CompletionException inConnBegin =
          assertThrows(
              CompletionException.class,
              () ->
                  join(
                      engine.connect(c ->
                          c.begin(t ->
                              t.commit()
                                  .thenCompose(
                                      v -> c.execute(insert(items), Map.of("label", "y")))))));
      assertInstanceOf(InvalidRequestException.class, inConnBegin.getCause());
      assertTrue(inConnBegin.getCause().getMessage().contains("inside the block"));
      assertEquals(0, count(engine));
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void scopedStreamClosesTheResultAndPartitionsUseTheYieldPerSize(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      seed(engine, 0, 25);
      List<Integer> sizes =
          join(
              engine.connect(c ->
                  c.stream(
                          select(id).orderBy(id),
                          Map.of(),
                          r -> {
                            AsyncResult ten = r.yieldPer(10);
                            assertEquals(10, ten.batchSize());
                            return Flux.from(ten.partitions())
                                .map(List::size)
                                .collectList()
                                .toFuture();
                          })
                      .thenCompose(s ->
                          // The stream was closed: the connection runs statements again.
                          c.scalar(select(Func.count()).selectFrom(items)).thenApply(n -> s))));
      assertEquals(List.of(10, 10, 5), sizes);
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aStatementFailingMidStreamHandsOutItsRowsThenItsTypedError(TestDatabases.Db db) {
    readAStreamFailingMidWay(db, false);
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aSlowReaderOfAStreamFailingMidStreamStillGetsEveryRowSentBeforeTheError(
      TestDatabases.Db db) {
    // From row 350 on the reader dawdles on a thread of its own, asking for one row at a time:
    // the rows up to the failure and the error reach the client before it asks for them.
    readAStreamFailingMidWay(db, true);
  }

  private void readAStreamFailingMidWay(TestDatabases.Db db, boolean slow) {
    AsyncEngine engine = engine(db);
    try {
      // Division by zero at the 600th row, computed as the cursor is read on PostgreSQL.
      String failing =
          db.isPostgres()
              ? "SELECT 1200 / (600 - g) FROM generate_series(1, 1000) g"
              : "SELECT 1200 / (600 - \"X\") FROM SYSTEM_RANGE(1, 1000)";
      List<Integer> read = new java.util.concurrent.CopyOnWriteArrayList<>();
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () ->
                  join(
                      engine.connect(c ->
                          c.stream(
                              Sql.text(failing),
                              Map.of(),
                              ExecutionOptions.DEFAULTS.yieldPer(100),
                              r ->
                                  Flux.from(r.publisher())
                                      .publishOn(
                                          slow
                                              ? reactor.core.scheduler.Schedulers.single()
                                              : reactor.core.scheduler.Schedulers.immediate(),
                                          1)
                                      .doOnNext(row -> {
                                        if (slow && read.size() >= 350) {
                                          LockSupport.parkNanos(1_000_000);
                                        }
                                        read.add(((Number) row.get(0)).intValue());
                                      })
                                      .then()
                                      .toFuture()))));
      assertInstanceOf(dev.athanor.error.DataException.class, e.getCause(), e.toString());
      if (db.isPostgres()) {
        assertEquals(599, read.size());
      }
      for (int i = 0; i < read.size(); i++) {
        assertEquals(1200 / (600 - (i + 1)), read.get(i));
      }
      assertEquals(0, engine.core().poolStatus().checkedOut());
      assertEquals(
          7, ((Number) join(engine.connect(c -> c.scalar(Sql.text("SELECT 7"))))).intValue());
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void anAsyncCreatorMakesEachNewConnection(TestDatabases.Db db) {
    String driverUrl =
        db.isPostgres()
            ? "r2dbc:" + db.url()
            : "r2dbc:h2:mem:///jcreator_" + System.nanoTime() + "?DB_CLOSE_DELAY=-1";
    io.r2dbc.spi.ConnectionFactory factory = io.r2dbc.spi.ConnectionFactories.get(driverUrl);
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    AsyncEngine engine =
        AsyncEngine.create(
            db.url(),
            EngineOptions.defaults(),
            () -> {
              calls.incrementAndGet();
              return reactor.core.publisher.Mono.from(factory.create()).toFuture();
            });
    try {
      assertEquals(
          1, ((Number) join(engine.connect(c -> c.scalar(select(Func.count()))))).intValue());
      assertEquals(1, calls.get());
      AsyncEngine viaFactory = AsyncEngine.create(db.url(), EngineOptions.defaults(), factory);
      assertEquals(
          1, ((Number) join(viaFactory.connect(c -> c.scalar(select(Func.count()))))).intValue());
      join(viaFactory.dispose());
    } finally {
      join(engine.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void theInspectorAnswersWithStages(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      join(
          engine.connect(c -> {
            AsyncInspector inspector = c.inspector();
            return inspector
                .hasTable("jface_items")
                .thenCompose(has -> {
                  assertTrue(has);
                  return inspector.primaryKey("jface_items");
                })
                .thenCompose(pk -> {
                  assertEquals(List.of("id"), pk);
                  return inspector.loadTable(new MetaData(), "jface_items");
                })
                .thenAccept(t -> assertEquals(2, t.columns().size()));
          }));
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void beginCommitsAndAFailedStageRollsBack(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      join(
          engine.begin(
              c -> c.execute(insert(items), List.of(Map.of("label", "a"), Map.of("label", "b")))));
      assertEquals(2, count(engine));
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () ->
                  join(
                      engine.begin(c ->
                          c.execute(insert(items), Map.of("label", "c"))
                              .thenCompose(r -> c.execute(insert(items), Map.of("label", "a"))))));
      assertInstanceOf(IntegrityException.class, e.getCause());
      assertEquals(2, count(engine));
      assertEquals(0, engine.poolStatus().checkedOut());
    } finally {
      cleanup(engine);
    }
  }

  /** An executemany of rows of values in one order of names, through the Java face. */
  @ParameterizedTest
  @MethodSource("dbs")
  void parameterSetsOfRowsInsertAsMapsWould(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      List<Object[]> rows =
          IntStream.range(0, 1500).mapToObj(i -> new Object[] {i + 1, "r" + i}).toList();
      Object count =
          join(
              engine.begin(c ->
                  c.execute(
                          insert(items),
                          dev.athanor.engine.ParameterSets.of(List.of("id", "label"), rows))
                      .thenApply(r -> r.rowcount())));
      assertEquals(1500L, count);
      assertEquals(1500, count(engine));
      assertEquals("r1233", join(engine.connect(c -> c.scalar(select(label).where(id.eq(1234))))));
    } finally {
      cleanup(engine);
    }
  }

  /**
   * An executemany of several pages whose late page holds a value no database can store: nothing is
   * sent, even in AUTOCOMMIT, where each page's statement would commit on its own.
   */
  @ParameterizedTest
  @MethodSource("dbs")
  void aBadValueInALaterPageOfAnExecutemanySendsNothing(TestDatabases.Db db) {
    AsyncEngine engine =
        AsyncEngine.create(
            db.url(),
            EngineOptions.defaults()
                .poolSize(2)
                .isolationLevel(dev.athanor.sql.IsolationLevel.AUTOCOMMIT));
    try {
      join(engine.connect(conn -> conn.dropAll(meta).thenCompose(v -> conn.createAll(meta))));
      List<Map<String, Object>> sets =
          IntStream.range(0, 2500)
              .mapToObj(i -> Map.<String, Object>of("label", i == 2400 ? "bad \uDC00" : "l" + i))
              .toList();
      CompletionException e =
          assertThrows(
              CompletionException.class,
              () -> join(engine.connect(c -> c.execute(insert(items), sets))));
      assertInstanceOf(dev.athanor.error.DataException.class, e.getCause());
      assertTrue(
          e.getCause().getMessage().contains("parameter set 2400"), e.getCause().getMessage());
      assertEquals(0, count(engine));
      assertEquals(0, engine.poolStatus().checkedOut());
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void streamingThroughAPublisherWithBackpressure(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      seed(engine, 1, 300);
      List<Object> firstTen =
          join(
              engine.connect(c ->
                  c.stream(
                          select(label).orderBy(id),
                          Map.of(),
                          ExecutionOptions.DEFAULTS.yieldPer(25))
                      .thenCompose(r ->
                          Flux.from(r.publisher())
                              .take(10)
                              .map((Row row) -> row.get(0))
                              .collectList()
                              .toFuture())));
      assertEquals("l1", firstTen.get(0));
      assertEquals(10, firstTen.size());
      List<Integer> sizes =
          join(
              engine.connect(c ->
                  c.stream(select(id))
                      .thenCompose(r ->
                          Flux.from(r.partitions(128)).map(List::size).collectList().toFuture())));
      assertEquals(List.of(128, 128, 44), sizes);
      AsyncScalarResult<Integer> ids =
          join(
              engine.connect(c ->
                  c.<Integer>streamScalars(select(id).orderBy(id))
                      .thenCompose(r -> r.fetchmany(3).thenApply(l -> r))));
      assertTrue(ids.isClosed(), "the connection closed the stream when the block ended");
      assertEquals(0, engine.poolStatus().checkedOut());
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void aPublisherAskedForOneElementReadsOneBatchAhead(TestDatabases.Db db) throws Exception {
    AsyncEngine engine = engine(db);
    try {
      seed(engine, 1, 2_000);
      // One element asked for: one batch of 50 handed out and at most the cursor's read-ahead of
      // one more from the driver (publisher() used to read all 2,000 rows, and partitions()
      // started a second fetch, and so read a third batch, before it was asked for).
      int rows = readForOneAsked(engine, AsyncResult::publisher);
      assertTrue(rows >= 50 && rows <= 2 * 50, "one row asked for, " + rows + " rows read");
      int lists = readForOneAsked(engine, AsyncResult::partitions);
      assertTrue(lists >= 50 && lists <= 2 * 50, "one list asked for, " + lists + " rows read");
      assertEquals(0, engine.poolStatus().checkedOut());
    } finally {
      cleanup(engine);
    }
  }

  /**
   * Streams the items' ids in batches of 50, asks {@code which} publisher of the stream for one
   * element, and returns how many rows the stream read before it stopped reading.
   */
  private static int readForOneAsked(
      AsyncEngine engine,
      java.util.function.Function<AsyncResult, org.reactivestreams.Publisher<?>> which)
      throws InterruptedException {
    // The same table seen through a column type that counts the values read from the driver.
    java.util.concurrent.atomic.AtomicInteger read =
        new java.util.concurrent.atomic.AtomicInteger();
    Table counted =
        new MetaData()
            .table(
                "jface_items",
                column(
                    "id",
                    Types.INTEGER.decorate(
                        Integer.class,
                        v -> v,
                        v -> {
                          read.incrementAndGet();
                          return v;
                        })));
    CompletableFuture<Object> first = new CompletableFuture<>();
    CompletableFuture<Void> release = new CompletableFuture<>();
    CompletionStage<Void> done =
        engine.connect(c ->
            c.stream(
                    select(counted.c("id")).orderBy(counted.c("id")),
                    Map.of(),
                    ExecutionOptions.DEFAULTS.yieldPer(50))
                .thenCompose(r -> {
                  reactor.core.publisher.BaseSubscriber<Object> one =
                      new reactor.core.publisher.BaseSubscriber<>() {
                        @Override
                        protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                          s.request(1);
                        }

                        @Override
                        protected void hookOnNext(Object element) {
                          first.complete(element);
                        }
                      };
                  Flux.from(which.apply(r)).subscribe(one);
                  return release.thenRun(one::dispose);
                }));
    assertNotNull(join(first));
    // Wait until the stream stops reading.
    int settled = -1;
    for (int i = 0; i < 100 && settled != read.get(); i++) {
      settled = read.get();
      Thread.sleep(100);
    }
    release.complete(null);
    join(done);
    return settled;
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void cancellingTheFutureRollsBackAndReturnsTheConnection(TestDatabases.Db db) throws Exception {
    AsyncEngine engine = engine(db);
    try {
      CompletableFuture<Object> started = new CompletableFuture<>();
      CompletableFuture<Object> never = new CompletableFuture<>();
      CompletableFuture<Object> work =
          engine
              .begin(c ->
                  c.execute(insert(items), Map.of("label", "x"))
                      .thenCompose(r -> {
                        started.complete(r);
                        return never;
                      }))
              .toCompletableFuture();
      started.get(30, TimeUnit.SECONDS);
      assertTrue(work.cancel(true));
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (engine.poolStatus().checkedOut() != 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, engine.poolStatus().checkedOut());
      assertEquals(0, count(engine));
    } finally {
      cleanup(engine);
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void runSyncFacesAndTransactions(TestDatabases.Db db) {
    AsyncEngine engine = engine(db);
    try {
      assertSame(engine, AsyncEngine.of(engine.core()));
      Object fromSync =
          join(
              engine.connect(c -> {
                assertSame(c, AsyncConnection.of(c.core()));
                return c.runSync(
                        sync -> {
                          sync.execute(insert(items), Map.of("label", "sync"));
                          return Thread.currentThread().isVirtual();
                        })
                    .thenCompose(virtual -> c.commit().thenApply(v -> virtual));
              }));
      assertEquals(true, fromSync);
      assertEquals(1, count(engine));
      List<String> events = new ArrayList<>();
      join(
          engine.connect(c ->
              c.begin()
                  .thenCompose(t ->
                      c.beginNested()
                          .thenCompose(sp ->
                              c.execute(insert(items), Map.of("label", "nested"))
                                  .thenCompose(r -> sp.rollback())
                                  .thenApply(v -> {
                                    events.add("nested " + sp.isActive());
                                    return t;
                                  })))
                  .thenCompose(AsyncTransaction::commit)));
      assertEquals(List.of("nested false"), events);
      assertEquals(1, count(engine));
    } finally {
      cleanup(engine);
    }
  }
}
