package dev.athanor.result;

import dev.athanor.result.internal.RowPipeline;
import dev.athanor.result.internal.RowSource;

/**
 * A view of a {@link StreamingResult} that hands out one column of each row.
 *
 * @param <T> the type of the column's values
 */
public final class StreamingScalarResult<T> extends StreamingView<T> {
  StreamingScalarResult(RowSource cursor, RowPipeline<T> pipeline, int batch) {
    super(cursor, pipeline, batch);
  }

  /** Returns a view that fetches {@code n} elements at a time, over the same cursor. */
  public StreamingScalarResult<T> yieldPer(int n) {
    return new StreamingScalarResult<>(cursor, pipeline, checkYieldPer(n));
  }

  /** Returns a view that drops values equal to one already handed out. */
  public StreamingScalarResult<T> unique() {
    return new StreamingScalarResult<>(cursor, pipeline.withUnique(), batch);
  }

  /** Returns a view that drops values whose {@code key} equals that of one handed out before. */
  public StreamingScalarResult<T> unique(java.util.function.Function<? super T, ?> key) {
    return new StreamingScalarResult<>(cursor, pipeline.withUnique(key), batch);
  }
}
