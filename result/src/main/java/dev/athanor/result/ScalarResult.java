package dev.athanor.result;

import dev.athanor.result.internal.RowBuffer;
import dev.athanor.result.internal.RowPipeline;

/**
 * A view of a buffered {@link Result} that hands out one column of each row; made by {@link
 * Result#scalars()}.
 *
 * @param <T> the type of the column's values
 */
public final class ScalarResult<T> extends ResultView<T> {
  ScalarResult(RowBuffer buffer, RowPipeline<T> pipeline) {
    super(buffer, pipeline);
  }

  /**
   * Sets how many elements {@link #partitions()} puts in each list, for this result and its views
   * (SQLAlchemy's {@code Result.yield_per}); returns this.
   */
  public ScalarResult<T> yieldPer(int n) {
    setYieldPer(n);
    return this;
  }

  /** Returns a view that drops values equal to one already handed out. */
  public ScalarResult<T> unique() {
    return new ScalarResult<>(buffer, pipeline.withUnique());
  }

  /**
   * Returns a view that drops values whose {@code key} equals that of a value already handed out;
   * an ORM passes an identity key so that entities with their own {@code equals} stay apart.
   */
  public ScalarResult<T> unique(java.util.function.Function<? super T, ?> key) {
    return new ScalarResult<>(buffer, pipeline.withUnique(key));
  }
}
