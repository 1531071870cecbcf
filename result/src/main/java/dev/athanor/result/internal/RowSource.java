package dev.athanor.result.internal;

import dev.athanor.result.Row;
import java.util.List;
import reactor.core.publisher.Mono;

/** Where a streaming result's rows come from: a driver cursor, or another source processed. */
public interface RowSource {
  /** Fetches up to {@code n} rows; an empty list at the end. */
  Mono<List<Row>> fetch(int n);

  /** Returns whether every row was handed out (or the source closed). */
  boolean isExhausted();

  /** Returns whether the source ended: read to its end, failed, or closed. */
  boolean isFinished();

  /** Closes the source; safe to call more than once. */
  void close();
}
