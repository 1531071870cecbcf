package dev.athanor.java;

import dev.athanor.result.StreamingView;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

/**
 * The fetches shared by {@link AsyncResult} and its views: rows come from a server-side cursor as
 * they are fetched. Filters are plain calls; fetches return stages or publishers.
 *
 * @param <E> what a fetch hands out
 */
public abstract sealed class AsyncResultView<E>
    permits AsyncResult, AsyncScalarResult, AsyncMappingResult {
  private final StreamingView<E> view;

  AsyncResultView(StreamingView<E> view) {
    this.view = view;
  }

  /**
   * Fetches every remaining element.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<List<@Nullable E>> all() {
    return view.all().toFuture();
  }

  /**
   * Same as {@link #all()}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<List<@Nullable E>> fetchall() {
    return view.fetchall().toFuture();
  }

  /**
   * Fetches the next element, or {@code null} at the end.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable E> fetchone() {
    return view.fetchone().toFuture();
  }

  /**
   * Fetches up to {@code size} next elements; empty at the end.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<List<@Nullable E>> fetchmany(int size) {
    return view.fetchmany(size).toFuture();
  }

  /**
   * Fetches the first element (or {@code null}) and closes the stream.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable E> first() {
    return view.first().toFuture();
  }

  /**
   * Fetches the only element and closes the stream; fails if there is none or more.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable E> one() {
    return view.one().toFuture();
  }

  /**
   * Fetches the only element, or {@code null} without one, and closes the stream.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable E> oneOrNone() {
    return view.oneOrNone().toFuture();
  }

  /** Publishes the remaining elements in lists of the yield-per size, fetched on demand. */
  public Publisher<List<@Nullable E>> partitions() {
    return view.partitions();
  }

  /** Returns how many elements each fetch from the cursor asks for (the yield-per size). */
  public int batchSize() {
    return view.batchSize();
  }

  /** Publishes the remaining elements in lists of up to {@code size}, fetched on demand. */
  public Publisher<List<@Nullable E>> partitions(int size) {
    return view.partitions(size);
  }

  /**
   * Publishes the remaining elements with backpressure; cancelling the subscription closes the
   * stream.
   */
  public Publisher<E> publisher() {
    return view.rows();
  }

  /** Returns the column names. */
  public List<String> keys() {
    return view.keys();
  }

  /**
   * Closes the stream and its cursor.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable Void> close() {
    return view.close().toFuture();
  }

  /** Returns whether the stream was closed or read to its end. */
  public boolean isClosed() {
    return view.isClosed();
  }
}
