package dev.athanor.java;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.EngineOptions;
import dev.athanor.error.ArgumentException;
import dev.athanor.session.Column;
import dev.athanor.session.Entity;
import dev.athanor.session.Id;
import dev.athanor.session.Mapper;
import dev.athanor.session.Registry;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Binds and routing through the Java face: per-class engines, and a leader/follower router. */
class JavaBindsTest {
  @Entity(table = "jbinds_invoice")
  public static class Invoice {
    @Id private Long id;

    @Column(length = 20, nullable = false)
    private String customer;

    private Invoice() {}

    Invoice(long id, String customer) {
      this.id = id;
      this.customer = customer;
    }
  }

  @Entity(table = "jbinds_event")
  public static class Event {
    @Id private Long id;

    @Column(length = 40, nullable = false)
    private String what;

    private Event() {}

    Event(long id, String what) {
      this.id = id;
      this.what = what;
    }
  }

  static final Registry REGISTRY = new Registry();
  static final Mapper<Invoice> INVOICES = REGISTRY.map(Invoice.class);
  static final Mapper<Event> EVENTS = REGISTRY.map(Event.class);

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static AsyncEngine fresh(String url) {
    AsyncEngine e = AsyncEngine.create(url, EngineOptions.defaults().poolSize(2));
    join(
        e.begin(c ->
            c.dropAll(REGISTRY.metadata()).thenCompose(v -> c.createAll(REGISTRY.metadata()))));
    return e;
  }

  private static long count(AsyncEngine e, String table) {
    return ((Number) join(e.connect(c -> c.scalar(Sql.text("SELECT count(*) FROM " + table)))))
        .longValue();
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void eachClassIsWrittenAndReadOnItsOwnEngine(TestDatabases.Db db) {
    AsyncEngine main = fresh(db.url());
    AsyncEngine events = fresh(TestDatabases.freshH2Url());
    try {
      AsyncSessionMaker sessions = AsyncSessionMaker.of(main).binds(Map.of(Event.class, events));
      join(
          sessions.begin(s -> {
            s.add(new Invoice(1, "acme"));
            s.add(new Event(1, "invoiced acme"));
            return s.flush();
          }));
      assertEquals(1, count(main, "jbinds_invoice"));
      assertEquals(0, count(main, "jbinds_event"));
      assertEquals(1, count(events, "jbinds_event"));
      AsyncSession s = sessions.create();
      try {
        assertSame(events, s.getBind(Event.class, null));
        assertSame(main, s.getBind(Invoice.class, null));
        assertSame(main, s.getBind());
        Event e = join(s.get(Event.class, 1L));
        assertEquals("invoiced acme", e.what);
        assertEquals(1, join(s.<Event>scalars(Sql.select(EVENTS))).all().size());
      } finally {
        join(s.close());
      }
      assertEquals(0, main.poolStatus().checkedOut());
      assertEquals(0, events.poolStatus().checkedOut());
    } finally {
      join(main.dispose());
      join(events.dispose());
    }
  }

  @ParameterizedTest
  @MethodSource("dbs")
  void rollbackUndoesBothDatabases(TestDatabases.Db db) {
    AsyncEngine main = fresh(db.url());
    AsyncEngine events = fresh(TestDatabases.freshH2Url());
    try {
      AsyncSessionMaker sessions = AsyncSessionMaker.of(main).binds(Map.of(EVENTS, events));
      CompletionStage<Object> failed =
          sessions.begin(s -> {
            s.add(new Invoice(1, "acme"));
            s.add(new Event(1, "x"));
            return s.flush()
                .thenApply(v -> {
                  throw new IllegalStateException("undo");
                });
          });
      Exception e = assertThrows(Exception.class, () -> join(failed));
      assertTrue(String.valueOf(e.getCause()).contains("undo"), String.valueOf(e));
      assertEquals(0, count(main, "jbinds_invoice"));
      assertEquals(0, count(events, "jbinds_event"));
    } finally {
      join(main.dispose());
      join(events.dispose());
    }
  }

  @Test
  void aBindKeyThatIsNotAClassMapperOrTableIsRefused() {
    AsyncEngine main = AsyncEngine.create(TestDatabases.freshH2Url(), EngineOptions.defaults());
    try {
      ArgumentException e =
          assertThrows(
              ArgumentException.class,
              () -> AsyncSessionMaker.of(main).binds(Map.of("jbinds_event", main)));
      assertTrue(e.getMessage().contains("jbinds_event"), e.getMessage());
    } finally {
      join(main.dispose());
    }
  }

  @Test
  void writesGoToThePrimaryAndReadsToTheStandby() {
    TestDatabases.Replica r = TestDatabases.replica();
    Assumptions.assumeTrue(r != null, "no PostgreSQL replica pair running");
    AsyncEngine leader = fresh(r.primaryUrl());
    AsyncEngine follower = AsyncEngine.create(r.standbyUrl(), EngineOptions.defaults());
    try {
      AsyncSessionMaker sessions =
          AsyncSessionMaker.of(leader).router(req -> req.isWrite() ? leader : follower);
      join(
          sessions.begin(s -> {
            s.add(new Invoice(5, "globex"));
            return s.flush();
          }));
      assertEquals(1, count(leader, "jbinds_invoice"));
      // The standby shows the row once it has replayed the commit.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        Object n = null;
        try {
          n =
              join(
                  follower.connect(c -> c.scalar(Sql.text("SELECT count(*) FROM jbinds_invoice"))));
        } catch (RuntimeException notYet) {
          // the table itself may not have been replayed yet
        }
        if (Long.valueOf(1).equals(n)) {
          break;
        }
        assertTrue(System.nanoTime() < deadline, "the standby never showed the row");
        Thread.onSpinWait();
      }
      AsyncSession s = sessions.create();
      try {
        assertEquals(true, join(s.scalar(Sql.text("SELECT pg_is_in_recovery()"))));
        Invoice i = join(s.get(Invoice.class, 5L));
        assertEquals("globex", i.customer);
        assertSame(follower, s.getBind(Invoice.class, null));
      } finally {
        join(s.close());
      }
    } finally {
      join(leader.dispose());
      join(follower.dispose());
    }
  }
}
