package dev.athanor.result.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.athanor.result.Row;
import dev.athanor.result.RowKeys;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/** A fetch that the arrival of its last row completes is handed to its reader by the hand-off. */
class PullCursorHandoffTest {
  private static final RowKeys KEYS = RowKeys.of(List.of("id"));

  private static Row row(int id) {
    return new Row(KEYS, new Object[] {id});
  }

  @Test
  void theReaderGetsItsRowsWhenTheHandoffRunsThemAndLaterRowsAndTheErrorWait() {
    ArrayDeque<Runnable> queued = new ArrayDeque<>();
    Sinks.Many<Row> driver = Sinks.many().unicast().onBackpressureBuffer();
    PullCursor cursor = new PullCursor(2, () -> {}, UnaryOperator.identity(), queued::add);
    AtomicReference<Boolean> ready = new AtomicReference<>();
    cursor.open(driver.asFlux()).subscribe(ready::set);
    driver.tryEmitNext(row(1));
    assertEquals(Boolean.TRUE, ready.get(), "the stream opens without the hand-off");

    AtomicReference<List<Row>> fetched = new AtomicReference<>();
    cursor.fetch(2).subscribe(fetched::set);
    assertNull(fetched.get(), "one row of two");
    driver.tryEmitNext(row(2));
    assertNull(fetched.get(), "complete, but handed over only by the hand-off");
    assertEquals(1, queued.size());

    // What arrives before the reader ran: kept for the next fetch, and the error after it.
    driver.tryEmitNext(row(3));
    IllegalStateException failure = new IllegalStateException("server gone");
    driver.tryEmitError(failure);
    assertNull(fetched.get());
    queued.poll().run();
    assertEquals(List.of(1, 2), ids(fetched.get()));

    // Served from what the cursor holds: at once, no hand-off.
    AtomicReference<List<Row>> next = new AtomicReference<>();
    cursor.fetch(2).subscribe(next::set);
    assertEquals(List.of(3), ids(next.get()));
    assertTrue(queued.isEmpty());
    IllegalStateException raised =
        assertThrows(IllegalStateException.class, () -> cursor.fetch(2).block());
    assertSame(failure, raised, "the error comes after every row that arrived before it");
  }

  @Test
  void aCursorClosedBeforeTheHandoffRanStillHandsOverTheFetchedRowsOnce() {
    ArrayDeque<Runnable> queued = new ArrayDeque<>();
    Sinks.Many<Row> driver = Sinks.many().unicast().onBackpressureBuffer();
    PullCursor cursor = new PullCursor(1, () -> {}, UnaryOperator.identity(), queued::add);
    cursor.open(driver.asFlux()).subscribe();
    List<List<Row>> handed = new java.util.ArrayList<>();
    cursor.fetch(1).subscribe(handed::add);
    driver.tryEmitNext(row(1));
    cursor.close();
    queued.poll().run();
    assertEquals(1, handed.size());
    assertEquals(List.of(1), ids(handed.get(0)));
    assertTrue(cursor.isClosed());
  }

  private static List<Object> ids(List<Row> rows) {
    return rows.stream().map(r -> r.get(0)).toList();
  }
}
