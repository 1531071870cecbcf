package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.Gate;
import dev.athanor.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The blocking face: {@code sync.commit()} inside {@code runSync}, its caller cancelled (which
 * interrupts the function's thread) while the commit ends. The commit's end is held at a gate in an
 * {@code afterCommit} listener, so the interrupt lands there every time. The blocking call fails
 * with a {@link CancellationException} naming it and the thread stays interrupted; the commit still
 * ends (its rows are in the database); the session's next operation waits for that end.
 */
class InterruptedSyncCommitTest {
  @Entity(table = "sync_commit_note")
  static class Note {
    @Id(generated = false)
    Long id;

    @Column(length = 20)
    String text;

    Note() {}

    Note(long id, String text) {
      this.id = id;
      this.text = text;
    }
  }

  private static final Registry REGISTRY = new Registry();
  private static final Gate GATE = new Gate();

  static {
    REGISTRY.map(Note.class);
  }

  private static final List<Engine> ENGINES = new CopyOnWriteArrayList<>();

  @AfterAll
  static void disposeEngines() {
    for (Engine e : ENGINES) {
      e.dispose().block();
    }
  }

  private static Engine engine(TestDatabases.Db db) {
    Engine engine = Engine.create(db.url());
    ENGINES.add(engine);
    engine
        .begin(c -> REGISTRY.metadata().dropAll(c).then(REGISTRY.metadata().createAll(c)))
        .block();
    return engine;
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (TestDatabases.Db db : TestDatabases.all()) {
      for (String next : List.of("query", "get", "commit", "runSync", "close")) {
        all.add(Arguments.of(db, next));
      }
    }
    return all.stream();
  }

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void aBlockingCommitCommits(TestDatabases.Db db) throws Exception {
    Engine engine = engine(db);
    Session s = new Session(engine);
    listenAfterCommitAtGate(s); // not armed here: the listener passes straight through
    s.<Void>runSync(
            sync -> {
              sync.add(new Note(1, "one"));
              sync.commit();
              return null;
            })
        .block(java.time.Duration.ofSeconds(20));
    Number rows =
        (Number)
            engine
                .connect(c -> c.scalar(Sql.text("SELECT count(*) FROM sync_commit_note")))
                .block();
    assertEquals(1, rows.intValue());
    s.close().block();
    CancelledLoadTest.awaitPoolQuiet(engine);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void aBlockingCallOnAnInterruptedThreadSendsNothing(TestDatabases.Db db) throws Exception {
    Engine engine = engine(db);
    Session s = new Session(engine);
    List<Throwable> refused = new ArrayList<>();
    s.<Void>runSync(
            sync -> {
              sync.add(new Note(1, "one"));
              Thread.currentThread().interrupt();
              for (Runnable call :
                  List.<Runnable>of(sync::flush, sync::commit, () -> sync.get(Note.class, 1L))) {
                try {
                  call.run();
                } catch (RuntimeException e) {
                  refused.add(e);
                }
              }
              assertTrue(Thread.interrupted(), "the thread should stay interrupted");
              sync.rollback(); // the pending note 1 goes; had a commit run, its row would stay
              sync.add(new Note(2, "two"));
              sync.commit();
              return null;
            })
        .block(java.time.Duration.ofSeconds(20));
    assertEquals(3, refused.size(), refused.toString());
    for (Throwable e : refused) {
      assertInstanceOf(CancellationException.class, e);
      assertTrue(e.getMessage().contains("did not start"), e.getMessage());
      assertInstanceOf(InterruptedException.class, e.getCause());
    }
    assertTrue(refused.get(1).getMessage().contains("commit()"), refused.get(1).getMessage());
    Object ids =
        engine
            .connect(c -> c.execute(Sql.text("SELECT id FROM sync_commit_note")))
            .map(r -> r.scalars().all())
            .block();
    assertEquals(List.of(2L), ((List<?>) ids).stream().map(n -> ((Number) n).longValue()).toList());
    s.close().block();
    CancelledLoadTest.awaitPoolQuiet(engine);
  }

  @ParameterizedTest(name = "{0}: sync.commit() interrupted while the commit ends, then {1}")
  @MethodSource("cases")
  void anInterruptedBlockingCommitStillEnds(TestDatabases.Db db, String next) throws Exception {
    Engine engine = engine(db);
    Session s = new Session(engine);
    listenAfterCommitAtGate(s);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicReference<Boolean> interrupted = new AtomicReference<>();
    GATE.arm();
    try {
      Disposable caller =
          s.<Void>runSync(
                  sync -> {
                    sync.add(new Note(1, "one"));
                    sync.add(new Note(2, "two"));
                    try {
                      sync.commit();
                    } catch (RuntimeException e) {
                      seen.set(e);
                    }
                    interrupted.set(Thread.currentThread().isInterrupted());
                    return null;
                  })
              .subscribe(v -> {}, e -> {});
      GATE.awaitEntered(); // COMMIT has been sent; its end waits at the gate
      caller.dispose(); // interrupts the function's thread

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (interrupted.get() == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Throwable e = seen.get();
      assertInstanceOf(CancellationException.class, e, "the interrupted commit() should say so");
      assertTrue(e.getMessage().contains("commit()"), e.getMessage());
      assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
      assertInstanceOf(InterruptedException.class, e.getCause());
      assertEquals(Boolean.TRUE, interrupted.get(), "the thread should stay interrupted");

      // The function returns, the commit has not ended: the next awaited call waits for its end.
      // (Until runSync lets go after its function returns, a call is refused as busy; a plain
      // call is not refused here, since the held afterCommit listener could be making it.)
      // runSync lets go of the session just after its function returns; until then a call is
      // refused as busy (no side effect), so such a refusal is retried.
      Thread.sleep(200);
      CompletableFuture<?> after;
      do {
        after = nextCall(s, next).toFuture();
        Thread.sleep(300);
      } while (after.isCompletedExceptionally()
          && busyWithRunSync(after)
          && System.nanoTime() < deadline);
      assertFalse(after.isDone(), "the next operation ran while the commit was ending");
      GATE.open();
      after.get(20, TimeUnit.SECONDS);
    } finally {
      GATE.open();
      if (!next.equals("close")) {
        // On a failure above, end the session's transaction: its row locks would block the next
        // case's DROP TABLE.
        s.rollback().onErrorResume(e -> Mono.empty()).block(java.time.Duration.ofSeconds(20));
      }
    }

    // The commit ended: both rows are in the database, seen from another connection.
    Number rows =
        (Number)
            engine
                .connect(c -> c.scalar(Sql.text("SELECT count(*) FROM sync_commit_note")))
                .block();
    assertEquals(2, rows.intValue());
    if (!next.equals("close")) {
      Note one = s.get(Note.class, 1L).block();
      assertNotNull(one);
      assertEquals("one", one.text);
      s.close().block();
    }
    CancelledLoadTest.awaitPoolQuiet(engine);
  }

  /** An afterCommit listener that passes {@link #GATE} on a thread of its own. */
  private static void listenAfterCommitAtGate(Session s) {
    s.events()
        .add(
            new SessionListener() {
              @Override
              public Mono<Void> afterCommit(Session session) {
                // On a thread of its own: the gate blocks, which an event loop must not.
                return Mono.fromRunnable(GATE::pass)
                    .subscribeOn(Schedulers.boundedElastic())
                    .then();
              }
            });
  }

  private static boolean busyWithRunSync(CompletableFuture<?> f) {
    try {
      f.join();
      return false;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause() instanceof InvalidRequestException
          && e.getCause().getMessage().contains("busy with runSync()");
    }
  }

  private static Mono<?> nextCall(Session s, String next) {
    return switch (next) {
      case "query" -> s.execute(Sql.select(Registry.mapperOf(Note.class)));
      case "get" -> s.get(Note.class, 2L);
      case "commit" -> s.commit();
      case "runSync" -> s.runSync(sync -> sync.get(Note.class, 1L));
      case "close" -> s.close();
      default -> throw new IllegalArgumentException(next);
    };
  }
}
