package dev.athanor.java;

import dev.athanor.result.ColumnKey;
import dev.athanor.result.FrozenResult;
import dev.athanor.result.Row;
import dev.athanor.result.StreamingResult;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** The Java face of a {@link StreamingResult} (SQLAlchemy's {@code AsyncResult}). */
public final class AsyncResult extends AsyncResultView<Row> {
  private final StreamingResult core;

  AsyncResult(StreamingResult core) {
    super(core);
    this.core = core;
  }

  /** Returns the reactive core result. */
  public StreamingResult core() {
    return core;
  }

  /** Returns a view that fetches {@code n} elements at a time over the same cursor. */
  public AsyncResult yieldPer(int n) {
    return new AsyncResult(core.yieldPer(n));
  }

  /** Returns a view that drops repeated rows. */
  public AsyncResult unique() {
    return new AsyncResult(core.unique());
  }

  /** Returns a view that drops rows whose {@code key} equals that of one handed out before. */
  public AsyncResult unique(java.util.function.Function<? super Row, ?> key) {
    return new AsyncResult(core.unique(key));
  }

  /**
   * Returns a stream whose rows {@code processor} makes of these, one fetched batch at a time (see
   * {@link StreamingResult#process}).
   */
  public AsyncResult process(dev.athanor.result.RowProcessor processor) {
    return new AsyncResult(core.process(processor));
  }

  /** Returns a view with only these columns. */
  public AsyncResult columns(Object... keys) {
    return new AsyncResult(core.columns(keys));
  }

  /** Returns a view of the first column. */
  public <T> AsyncScalarResult<T> scalars() {
    return new AsyncScalarResult<>(core.<T>scalars());
  }

  /** Returns a view of one column. */
  public <T> AsyncScalarResult<T> scalars(Object key) {
    return new AsyncScalarResult<>(core.<T>scalars(key));
  }

  /** Returns a view of one column, typed by the column object. */
  public <T> AsyncScalarResult<T> scalars(ColumnKey<T> column) {
    return new AsyncScalarResult<>(core.scalars(column));
  }

  /** Returns a view of rows as maps. */
  public AsyncMappingResult mappings() {
    return new AsyncMappingResult(core.mappings());
  }

  /**
   * Fetches the first column of the first row and closes the stream.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable Object> scalar() {
    return core.scalar().toFuture();
  }

  /**
   * Fetches the first column of the only row and closes the stream.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable Object> scalarOne() {
    return core.scalarOne().toFuture();
  }

  /**
   * Fetches the first column of the only row, or {@code null}; closes the stream.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<@Nullable Object> scalarOneOrNone() {
    return core.scalarOneOrNone().toFuture();
  }

  /**
   * Reads the remaining rows into a {@link FrozenResult}.
   *
   * <p>Cancellation: cancelling the returned stage ({@code CompletableFuture.cancel}) completes it
   * at once with a {@code CancellationException}; the rows already asked for are still read, and
   * the stream ends with its connection or transaction if it is not closed before.
   */
  public CompletionStage<FrozenResult> freeze() {
    return core.freeze().toFuture();
  }
}
