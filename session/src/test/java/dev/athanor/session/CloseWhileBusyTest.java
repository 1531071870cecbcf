package dev.athanor.session;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.engine.Engine;
import dev.athanor.error.InvalidRequestException;
import dev.athanor.sql.Sql;
import dev.athanor.testkit.TestDatabases;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.scheduler.Schedulers;

/**
 * {@code close()} called by a second caller while the session's query still loads its rows (held at
 * a gate in the first object's constructor): the close is refused as concurrent use, the query ends
 * with its objects, and a close after it returns every connection.
 */
class CloseWhileBusyTest {
  private static final ItemEngines ENGINES = new ItemEngines();

  @AfterAll
  static void disposeEngines() {
    ENGINES.disposeAll();
  }

  static List<TestDatabases.Db> dbs() {
    return TestDatabases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dbs")
  void aCloseWhileAQueryRunsIsRefusedAndLeavesNothingBehind(TestDatabases.Db db) throws Exception {
    Engine engine = ENGINES.create(db, ItemEngines.numbered(10));

    Session s = new Session(engine);
    CancelledLoadTest.GATE.arm();
    CompletableFuture<List<CancelledLoadTest.Item>> query;
    try {
      query =
          s.execute(Sql.select(Registry.mapperOf(CancelledLoadTest.Item.class)))
              .map(r -> r.<CancelledLoadTest.Item>scalars().all())
              .subscribeOn(Schedulers.boundedElastic())
              .toFuture();
      CancelledLoadTest.GATE.awaitEntered();
      CompletableFuture<Void> close = s.close().toFuture();
      try {
        close.get(5, TimeUnit.SECONDS);
        fail("close() ran while a query of the session was loading");
      } catch (java.util.concurrent.ExecutionException e) {
        assertInstanceOf(InvalidRequestException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("close()"), e.getCause().getMessage());
      }
      // closeAll() closes the idle sessions, leaves the busy one open and then reports it.
      Session idle = new Session(engine);
      assertThrows(InvalidRequestException.class, () -> Session.closeAll().block());
      assertTrue(idle.isClosed());
      assertFalse(s.isClosed());
    } finally {
      CancelledLoadTest.GATE.open();
    }
    assertEquals(10, query.get(20, TimeUnit.SECONDS).size());
    assertFalse(s.isClosed());
    s.close().block();
    CancelledLoadTest.awaitPoolQuiet(engine);
  }
}
