package dev.athanor.result;

import dev.athanor.result.internal.RowBuffer;
import dev.athanor.result.internal.RowPipeline;

/**
 * A view of a buffered {@link Result} that hands out rows as read-only maps from column name to
 * value; made by {@link Result#mappings()}.
 */
public final class MappingResult extends ResultView<RowMapping> {
  MappingResult(RowBuffer buffer, RowPipeline<RowMapping> pipeline) {
    super(buffer, pipeline);
  }

  /**
   * Sets how many elements {@link #partitions()} puts in each list, for this result and its views
   * (SQLAlchemy's {@code Result.yield_per}); returns this.
   */
  public MappingResult yieldPer(int n) {
    setYieldPer(n);
    return this;
  }

  /** Returns a view that drops rows equal to one already handed out. */
  public MappingResult unique() {
    return new MappingResult(buffer, pipeline.withUnique());
  }

  /** Returns a view that drops rows whose {@code key} equals that of one already handed out. */
  public MappingResult unique(java.util.function.Function<? super RowMapping, ?> key) {
    return new MappingResult(buffer, pipeline.withUnique(key));
  }

  /** Returns a view with only these columns, in this order. */
  public MappingResult columns(Object... keys) {
    return new MappingResult(buffer, pipeline.project(keys).convert(Row::mapping));
  }
}
