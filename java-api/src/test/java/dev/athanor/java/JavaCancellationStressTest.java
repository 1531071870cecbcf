package dev.athanor.java;

import static dev.athanor.sql.Sql.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.athanor.engine.EngineOptions;
import dev.athanor.engine.PoolStatus;
import dev.athanor.sql.TextClause;
import dev.athanor.testkit.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random {@link CompletableFuture#cancel} over the Java face's ways of holding a connection; the
 * database is then checked from another engine: the transfer sum is 0, no session is left in a
 * transaction, nothing is checked out, every pooled connection works. {@code
 * ATHANOR_STRESS_SECONDS} sets the time per database (default 4).
 */
class JavaCancellationStressTest {
  private static final TextClause TRANSFER =
      text("UPDATE jstress_acct SET bal = bal + :d WHERE id = :id");

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static Map<String, Object> move(int d, int id) {
    return Map.of("d", d, "id", id);
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void randomFutureCancellationsLoseNothingAndLeakNothing(TestDatabases.Db db) throws Exception {
    String app = "athanor_jstress_" + System.nanoTime();
    String url = db.isPostgres() ? db.url() + "?applicationName=" + app : db.url();
    long seconds = Long.parseLong(System.getenv().getOrDefault("ATHANOR_STRESS_SECONDS", "4"));
    long seed =
        Long.parseLong(
            System.getenv().getOrDefault("ATHANOR_CANCEL_SEED", Long.toString(System.nanoTime())));
    AsyncEngine checker = AsyncEngine.create(db.url());
    AsyncEngine engine =
        AsyncEngine.create(
            url,
            EngineOptions.defaults().poolSize(3).maxOverflow(0).poolTimeout(Duration.ofSeconds(2)));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      join(
          checker.connect(c ->
              c.execDriverSql("DROP TABLE IF EXISTS jstress_acct")
                  .thenCompose(r ->
                      c.execDriverSql(
                          "CREATE TABLE jstress_acct (id INT PRIMARY KEY, bal INT NOT NULL)"))
                  .thenCompose(
                      r -> c.execDriverSql("INSERT INTO jstress_acct VALUES (1, 0), (2, 0)"))
                  .thenCompose(r -> c.commit())));

      String manyRows =
          db.isPostgres()
              ? "SELECT g FROM generate_series(1, 2000) g"
              : "SELECT * FROM SYSTEM_RANGE(1, 2000)";
      List<Supplier<CompletableFuture<?>>> patterns = new ArrayList<>();
      List<String> names = new ArrayList<>();
      names.add("engine.begin");
      patterns.add(() ->
          engine
              .begin(c ->
                  c.execute(TRANSFER, move(1, 1))
                      .thenCompose(r -> c.execute(TRANSFER, move(-1, 2))))
              .toCompletableFuture());
      names.add("connect + begin + commit");
      patterns.add(() ->
          engine
              .connect(c ->
                  c.begin()
                      .thenCompose(t ->
                          c.execute(TRANSFER, move(1, 1))
                              .thenCompose(r -> c.execute(TRANSFER, move(-1, 2)))
                              .thenCompose(r -> t.commit())))
              .toCompletableFuture());
      names.add("beginNested");
      patterns.add(() ->
          engine
              .begin(c ->
                  c.beginNested()
                      .thenCompose(sp ->
                          c.execute(TRANSFER, move(1, 1))
                              .thenCompose(r -> c.execute(TRANSFER, move(-1, 2)))
                              .thenCompose(r -> sp.commit())))
              .toCompletableFuture());
      names.add("executemany");
      patterns.add(() ->
          engine
              .begin(c -> c.execute(TRANSFER, List.of(move(1, 1), move(-1, 2))))
              .toCompletableFuture());
      names.add("stream");
      patterns.add(() ->
          engine
              .connect(c -> c.stream(text(manyRows)).thenCompose(AsyncResult::all))
              .toCompletableFuture());
      names.add("connect()");
      patterns.add(() -> {
        CompletableFuture<AsyncConnection> f = engine.connect().toCompletableFuture();
        // Whoever gets the connection closes it; a cancelled future leaves nothing behind.
        f.thenCompose(c -> c.execute(TRANSFER, move(0, 1)).thenCompose(r -> c.close()));
        return f;
      });
      names.add("newConnection + start");
      patterns.add(() -> {
        AsyncConnection c = engine.newConnection();
        CompletableFuture<?> f =
            c.start()
                .thenCompose(x -> c.execute(TRANSFER, move(1, 1)))
                .thenCompose(r -> c.execute(TRANSFER, move(-1, 2)))
                .thenCompose(r -> c.commit())
                .toCompletableFuture();
        f.whenComplete((v, e) -> c.close());
        return f;
      });

      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      Set<String> unexpected = ConcurrentHashMap.newKeySet();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        Random random = new Random(seed + w);
        workers.add(
            Thread.ofPlatform()
                .start(() -> {
                  while (System.nanoTime() < deadline) {
                    int i = random.nextInt(patterns.size());
                    String name = names.get(i);
                    CompletableFuture<?> f = patterns.get(i).get();
                    timer.schedule(() -> f.cancel(true), random.nextInt(25), TimeUnit.MILLISECONDS);
                    try {
                      f.get(10, TimeUnit.SECONDS);
                      outcomes
                          .computeIfAbsent(name + ": done", k -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (CancellationException e) {
                      outcomes
                          .computeIfAbsent(name + ": cancelled", k -> new AtomicInteger())
                          .incrementAndGet();
                    } catch (Exception e) {
                      Throwable cause =
                          e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                      if (cause instanceof CompletionException && cause.getCause() != null) {
                        cause = cause.getCause();
                      }
                      String m = String.valueOf(cause.getMessage());
                      if (cause instanceof dev.athanor.error.PoolTimeoutException
                          || (!db.isPostgres() && m.contains("lock"))) {
                        outcomes
                            .computeIfAbsent("timeout", k -> new AtomicInteger())
                            .incrementAndGet();
                      } else {
                        unexpected.add(name + ": " + cause);
                      }
                    }
                  }
                }));
      }
      for (Thread t : workers) {
        t.join();
      }
      String clue = "seed=" + seed + " outcomes=" + outcomes;
      System.out.println("[java stress " + db.name() + "] " + clue);
      awaitQuiet(engine, clue);
      assertEquals(Set.of(), unexpected, clue);
      Object sum = join(checker.connect(c -> c.scalar(text("SELECT sum(bal) FROM jstress_acct"))));
      assertEquals(0L, ((Number) sum).longValue(), clue);
      long cancelled =
          outcomes.entrySet().stream()
              .filter(e -> e.getKey().endsWith("cancelled"))
              .mapToLong(e -> e.getValue().get())
              .sum();
      assertTrue(cancelled > 50, clue);
      if (db.isPostgres()) {
        assertEquals(0L, busySessions(checker, app), clue);
      }
      // Every pooled connection works afterwards.
      List<AsyncConnection> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        all.add(join(engine.connect()));
      }
      for (AsyncConnection c : all) {
        assertEquals(1, ((Number) join(c.scalar(text("SELECT 1")))).intValue());
        join(c.close());
      }
      awaitQuiet(engine, clue);
    } finally {
      timer.shutdownNow();
      join(
          checker.connect(c ->
              c.execDriverSql("DROP TABLE IF EXISTS jstress_acct").thenCompose(r -> c.commit())));
      join(engine.dispose());
      join(checker.dispose());
    }
  }

  private static long busySessions(AsyncEngine checker, String app) throws InterruptedException {
    long n = -1;
    for (int attempt = 0; attempt < 100; attempt++) {
      n =
          ((Number)
                  join(
                      checker.connect(c ->
                          c.scalar(
                              text(
                                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = :app "
                                      + "AND (state LIKE 'idle in transaction%' OR state = 'active')"),
                              Map.of("app", app)))))
              .longValue();
      if (n == 0) {
        break;
      }
      Thread.sleep(30);
    }
    return n;
  }

  private static void awaitQuiet(AsyncEngine engine, String clue) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    PoolStatus s = engine.poolStatus();
    while (System.nanoTime() < until) {
      s = engine.poolStatus();
      if (s != null && s.checkedOut() == 0 && s.pending() == 0) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("connections still checked out: " + s + " " + clue);
  }
}
