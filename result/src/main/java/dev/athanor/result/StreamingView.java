package dev.athanor.result;

import dev.athanor.error.InvalidRequestException;
import dev.athanor.error.MultipleResultsFoundException;
import dev.athanor.error.NoResultFoundException;
import dev.athanor.result.internal.OnDemand;
import dev.athanor.result.internal.RowPipeline;
import dev.athanor.result.internal.RowSource;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The reactive fetches shared by a {@link StreamingResult} and its filtered views. Rows come from a
 * server-side cursor as they are fetched; memory holds at most one batch ({@link #rows()}: two, the
 * one handed out and the next).
 *
 * <p>Filters are plain calls that return new views; fetches return a {@link Mono} or {@link Flux}.
 * A {@code Mono} that would hand out "no element" (no row, or a {@code null} scalar) completes
 * empty. {@code first()}, {@code one()}, {@code oneOrNone()} and {@code scalar()} close the stream;
 * cancelling {@link #rows()} closes it too.
 *
 * @param <E> what a fetch hands out
 */
public abstract sealed class StreamingView<E>
    permits StreamingResult, StreamingScalarResult, StreamingMappingResult {
  final RowSource cursor;
  final RowPipeline<E> pipeline;
  final int batch;

  StreamingView(RowSource cursor, RowPipeline<E> pipeline, int batch) {
    this.cursor = cursor;
    this.pipeline = pipeline;
    this.batch = batch;
  }

  /** Fetches up to {@code n} elements after uniqueness filtering; fewer only at the end. */
  private Mono<List<@Nullable E>> fetchAccepted(int n) {
    // A fresh list per subscription: callers repeat this Mono (all(), partitions()).
    return Mono.defer(() -> {
      List<@Nullable E> out = new ArrayList<>(Math.min(n, Math.max(16, batch)));
      return Mono.defer(() -> cursor.fetch(n - out.size()))
          .map(rows -> {
            for (Row r : rows) {
              Object a = pipeline.accept(r);
              if (a != RowPipeline.SKIP) {
                out.add(pipeline.unwrap(a));
              }
            }
            return rows.isEmpty();
          })
          .repeat(() -> out.size() < n && !cursor.isFinished())
          .then(Mono.fromSupplier(() -> out));
    });
  }

  /** Fetches the next element; completes empty at the end (or for a {@code null} value). */
  public Mono<E> fetchone() {
    return fetchAccepted(1).flatMap(l -> l.isEmpty() ? Mono.empty() : Mono.justOrEmpty(l.get(0)));
  }

  /** Fetches up to {@code size} next elements; an empty list at the end. */
  public Mono<List<@Nullable E>> fetchmany(int size) {
    if (size < 1) {
      return Mono.error(
          new InvalidRequestException("fetchmany size must be at least 1, not " + size + "."));
    }
    return fetchAccepted(size);
  }

  /** Fetches every remaining element into a list. */
  public Mono<List<@Nullable E>> all() {
    List<@Nullable E> out = new ArrayList<>();
    return fetchAccepted(batch)
        .doOnNext(out::addAll)
        .repeat(() -> !cursor.isExhausted())
        .then(Mono.fromSupplier(() -> out));
  }

  /** Same as {@link #all()}. */
  public Mono<List<@Nullable E>> fetchall() {
    return all();
  }

  /** Fetches the first element and closes the stream; empty if there is none. */
  public Mono<E> first() {
    return closing(fetchone());
  }

  /**
   * Fetches the only element and closes the stream; fails with {@link NoResultFoundException} or
   * {@link MultipleResultsFoundException}.
   */
  public Mono<E> one() {
    return fetchAccepted(2)
        .flatMap(l -> {
          if (l.isEmpty()) {
            return Mono.error(
                new NoResultFoundException(
                    "No row was found when one was required. Use oneOrNone() or first() if "
                        + "the row may be absent."));
          }
          if (l.size() > 1) {
            return Mono.error(
                new MultipleResultsFoundException(
                    "Multiple rows were found when exactly one was required. Narrow the "
                        + "statement's WHERE clause, or use first()."));
          }
          return Mono.justOrEmpty(l.get(0));
        })
        .transform(this::closing);
  }

  /**
   * Fetches the only element, completing empty without one, and closes the stream; fails with
   * {@link MultipleResultsFoundException} if there are more.
   */
  public Mono<E> oneOrNone() {
    return fetchAccepted(2)
        .flatMap(l -> {
          if (l.size() > 1) {
            return Mono.error(
                new MultipleResultsFoundException(
                    "Multiple rows were found when one or none was required. Narrow the "
                        + "statement's WHERE clause, or use first()."));
          }
          return l.isEmpty() ? Mono.empty() : Mono.justOrEmpty(l.get(0));
        })
        .transform(this::closing);
  }

  /** Closes the cursor before the answer reaches the caller, so the connection is free then. */
  private <T> Mono<T> closing(Mono<T> m) {
    return m.doOnTerminate(cursor::close).doOnCancel(cursor::close);
  }

  /** Fetches the remaining elements in lists of {@link #batchSize()} (the yield-per size). */
  public Flux<List<@Nullable E>> partitions() {
    return partitions(batch);
  }

  /** Fetches the remaining elements in lists of up to {@code size}, each fetched when asked for. */
  public Flux<List<@Nullable E>> partitions(int size) {
    if (size < 1) {
      return Flux.error(
          new InvalidRequestException("partition size must be at least 1, not " + size + "."));
    }
    // A fetch starts only when a list is asked for: repeating the fetch would start the next one
    // as soon as one ended, a batch ahead of any demand (and a releasing ORM stream let go of
    // the objects its reader was still working on).
    return OnDemand.lists(() -> fetchAccepted(size), cursor::close);
  }

  /**
   * Emits the remaining elements one by one, honouring backpressure: rows are read from the
   * database only as fast as they are consumed. Cancelling closes the stream. {@code null} scalars
   * are skipped, as a reactive stream cannot carry them; use {@link #partitions(int)} to see them.
   */
  public Flux<E> rows() {
    // One batch asked for at a time (a fused reader asks for the next as it starts one, else as
    // it hands out the last element of one). Prefetching `batch` lists read the whole result into
    // memory, whatever the demand.
    return partitions(batch).concatMapIterable(l -> l, 1);
  }

  /** Returns the names of the columns this view hands out. */
  public List<String> keys() {
    return pipeline.keys().names();
  }

  /** Returns how many rows one fetch of {@link #rows()} reads (the statement's yield-per). */
  public int batchSize() {
    return batch;
  }

  /** Closes the stream, releasing the server-side cursor. Safe to call more than once. */
  public Mono<Void> close() {
    return Mono.fromRunnable(cursor::close);
  }

  static int checkYieldPer(int n) {
    if (n < 1) {
      throw new InvalidRequestException("yieldPer must be at least 1, not " + n + ".");
    }
    return n;
  }

  /** Returns whether the stream was closed or read to its end. */
  public boolean isClosed() {
    return cursor.isFinished();
  }
}
