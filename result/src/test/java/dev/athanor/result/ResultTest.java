package dev.athanor.result;

import static org.junit.jupiter.api.Assertions.*;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.MultipleResultsFoundException;
import dev.athanor.error.NoResultFoundException;
import dev.athanor.error.ResourceClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Buffered and streaming result semantics, without a database. */
class ResultTest {
  private static final RowKeys KEYS = RowKeys.of(List.of("id", "name"));

  private static List<Row> rows(int n) {
    List<Row> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(new Row(KEYS, new Object[] {i, i % 2 == 0 ? "even" : "odd"}));
    }
    return out;
  }

  private static Result result(int n) {
    return new Result(KEYS, rows(n), StatementOutcome.rows());
  }

  @Test
  void viewsShareOneCursor() {
    Result r = result(5);
    assertEquals(1, r.fetchone().get(0));
    assertEquals(List.of(2, 3), r.<Integer>scalars().fetchmany(2));
    assertEquals(
        List.of("even", "odd"), r.mappings().all().stream().map(m -> m.get("name")).toList());
    assertEquals(List.of(), r.all());
  }

  @Test
  void uniqueColumnsAndPartitions() {
    assertEquals(List.of("odd", "even"), result(6).<String>scalars("name").unique().all());
    assertEquals(2, result(6).columns("name").unique().all().size());
    List<List<Row>> parts = new ArrayList<>();
    for (List<Row> p : result(5).partitions(2)) {
      parts.add(p);
    }
    assertEquals(List.of(2, 2, 1), parts.stream().map(List::size).toList());
    assertEquals("('odd', 1)", result(1).columns(1, 0).one().toString());
  }

  @Test
  void oneFirstAndClosedResults() {
    assertThrows(NoResultFoundException.class, () -> result(0).one());
    assertThrows(MultipleResultsFoundException.class, () -> result(2).one());
    assertNull(result(0).oneOrNone());
    Result r = result(3);
    assertEquals(1, r.first().get("id"));
    ResourceClosedException e = assertThrows(ResourceClosedException.class, r::fetchone);
    assertTrue(e.getMessage().contains("freeze()"));
    assertEquals(1, result(3).scalar());
  }

  @Test
  void freezeAndMerge() {
    FrozenResult f = result(3).freeze();
    assertEquals(3, f.result().all().size());
    assertEquals(3, f.result().all().size());
    assertEquals(5, result(2).merge(result(3)).all().size());
  }

  @Test
  void rowsAreTuples() {
    Row a = new Row(KEYS, new Object[] {1, "x"});
    assertEquals(a, new Row(KEYS, new Object[] {1, "x"}));
    assertEquals(a.hashCode(), new Row(KEYS, new Object[] {1, "x"}).hashCode());
    assertEquals("(1, 'x')", a.toString());
    RowKeys dup = RowKeys.of(List.of("id", "id"));
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class, () -> new Row(dup, new Object[] {1, 2}).get("id"));
    assertTrue(e.getMessage().contains("Ambiguous"));
  }

  @Test
  void streamingRequestsOnlyWhatIsFetchedAndCloseDrains() {
    AtomicLong requested = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean cancelled =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean unbounded =
        new java.util.concurrent.atomic.AtomicBoolean();
    Flux<Row> source =
        Flux.fromIterable(rows(10_000))
            .doOnRequest(n -> {
              if (n == Long.MAX_VALUE) {
                unbounded.set(true);
              } else {
                requested.addAndGet(n);
              }
            })
            .doOnCancel(() -> cancelled.set(true));
    dev.athanor.result.internal.PullCursor cursor =
        new dev.athanor.result.internal.PullCursor(10, () -> {});
    cursor.open(source).block();
    StreamingResult s = dev.athanor.result.internal.Streams.open(cursor, KEYS, 10);
    assertEquals(5, s.fetchmany(5).block().size());
    assertTrue(requested.get() <= 30, "requested " + requested.get());
    assertEquals(List.of(6, 7, 8), s.<Integer>scalars().fetchmany(3).block());
    s.close().block();
    assertFalse(cancelled.get(), "closing drains the statement instead of cancelling it");
    assertTrue(unbounded.get(), "the rest of the statement is drained with unbounded demand");
    assertTrue(s.isClosed());
    assertThrows(ResourceClosedException.class, () -> s.fetchmany(1).block());
  }

  @Test
  void aFetchServedFromTheBufferKeepsOnePrefetchOnItsWay() {
    AtomicLong requested = new AtomicLong();
    Flux<Row> source =
        Flux.fromIterable(rows(10_000))
            .doOnRequest(n -> {
              if (n != Long.MAX_VALUE) {
                requested.addAndGet(n);
              }
            });
    dev.athanor.result.internal.PullCursor cursor =
        new dev.athanor.result.internal.PullCursor(100, () -> {});
    cursor.open(source).block();
    StreamingResult s = dev.athanor.result.internal.Streams.open(cursor, KEYS, 100);
    for (int i = 1; i <= 5; i++) {
      assertEquals(100, s.fetchmany(100).block().size());
      // Each fetch leaves the next one's rows asked for (the driver reads on while the reader
      // works), and never more: what was handed out plus one prefetch.
      assertEquals(100L * (i + 1), requested.get(), "after fetch " + i);
    }
    s.close().block();
  }

  @Test
  void streamingAllAndErrorsAfterRows() {
    Flux<Row> source =
        Flux.concat(Flux.fromIterable(rows(3)), Flux.error(new IllegalStateException("db gone")));
    dev.athanor.result.internal.PullCursor cursor =
        new dev.athanor.result.internal.PullCursor(2, () -> {});
    cursor.open(source).block();
    StreamingResult s = dev.athanor.result.internal.Streams.open(cursor, KEYS, 2);
    assertEquals(2, s.fetchmany(2).block().size());
    assertEquals(1, s.fetchmany(2).block().size());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> s.fetchmany(2).block());
    assertEquals("db gone", e.getMessage());
  }

  @Test
  void theCursorTranslatesTheRowsErrorOnceAndEndsEvenWhenTheTranslationFails() {
    for (boolean translationFails : new boolean[] {false, true}) {
      List<Throwable> translated = new ArrayList<>();
      java.util.concurrent.atomic.AtomicInteger ended =
          new java.util.concurrent.atomic.AtomicInteger();
      IllegalStateException dbGone = new IllegalStateException("db gone");
      dev.athanor.result.internal.PullCursor cursor =
          new dev.athanor.result.internal.PullCursor(
              2,
              ended::incrementAndGet,
              e -> {
                translated.add(e);
                if (translationFails) {
                  throw new UnsupportedOperationException("listener broke");
                }
                return new ResourceClosedException("translated: " + e.getMessage());
              });
      cursor.open(Flux.concat(Flux.fromIterable(rows(3)), Flux.error(dbGone))).block();
      StreamingResult s = dev.athanor.result.internal.Streams.open(cursor, KEYS, 2);
      assertEquals(3, s.fetchmany(5).block().size());
      RuntimeException e = assertThrows(RuntimeException.class, () -> s.fetchmany(2).block());
      if (translationFails) {
        assertInstanceOf(UnsupportedOperationException.class, e);
        assertSame(dbGone, e.getSuppressed()[0], "the rows' error rides along");
      } else {
        assertInstanceOf(ResourceClosedException.class, e);
        assertEquals("translated: db gone", e.getMessage());
      }
      assertEquals(List.of(dbGone), translated, "translated once");
      assertEquals(1, ended.get(), "the cursor ended (its connection is free again)");
    }
  }

  @Test
  void aCompositeOfTheRowsErrorsReachesTheReaderAsItsFirstWithTheOthersBesideIt() {
    // The same error twice (one error that reached the rows by two paths) is one error; another
    // one rides along, suppressed in the first.
    for (boolean twice : new boolean[] {true, false}) {
      IllegalStateException first = new IllegalStateException("statement failed");
      IllegalArgumentException other = new IllegalArgumentException("something else");
      List<Throwable> translated = new ArrayList<>();
      dev.athanor.result.internal.PullCursor cursor =
          new dev.athanor.result.internal.PullCursor(
              2,
              () -> {},
              e -> {
                translated.add(e);
                return e;
              });
      Throwable composite = reactor.core.Exceptions.multiple(first, twice ? first : other);
      cursor.open(Flux.concat(Flux.fromIterable(rows(1)), Flux.error(composite))).block();
      StreamingResult s = dev.athanor.result.internal.Streams.open(cursor, KEYS, 2);
      assertEquals(1, s.fetchmany(5).block().size());
      RuntimeException e = assertThrows(RuntimeException.class, () -> s.fetchmany(2).block());
      assertSame(first, e);
      assertEquals(List.of(first), translated);
      // block() adds a traceback of its own ("#block terminated with an error").
      List<Throwable> beside =
          java.util.Arrays.stream(first.getSuppressed())
              .filter(t -> !String.valueOf(t.getMessage()).startsWith("#block"))
              .toList();
      assertEquals(twice ? List.of() : List.of(other), beside);
    }
  }

  @Test
  void aReaderSeesTheEndOfAStreamOnlyAfterItsStatementIsOver() throws Exception {
    // The end of the rows frees the connection (onTerminate) before any reader can see the end:
    // otherwise a reader could run its next statement while the connection still looked busy.
    reactor.core.publisher.Sinks.Many<Row> rows =
        reactor.core.publisher.Sinks.many().unicast().onBackpressureBuffer();
    java.util.concurrent.atomic.AtomicBoolean free =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch terminating = new java.util.concurrent.CountDownLatch(1);
    dev.athanor.result.internal.PullCursor cursor =
        new dev.athanor.result.internal.PullCursor(
            10,
            () -> {
              terminating.countDown();
              try {
                Thread.sleep(200); // a slow moment between the driver's end and the bookkeeping
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              free.set(true);
            });
    reactor.core.publisher.Mono<Boolean> opened = cursor.open(rows.asFlux());
    rows.tryEmitNext(rows(1).get(0));
    opened.block();
    StreamingResult s = dev.athanor.result.internal.Streams.open(cursor, KEYS, 10);
    assertEquals(1, s.fetchmany(1).block().size());
    Thread ender = Thread.ofPlatform().start(rows::tryEmitComplete);
    assertTrue(terminating.await(5, java.util.concurrent.TimeUnit.SECONDS));
    // The driver said "done" and the bookkeeping is under way: a read now must wait for it.
    assertEquals(0, s.fetchmany(5).block().size());
    assertTrue(free.get(), "the reader saw the end before the connection was free");
    ender.join();
  }
}
