package dev.athanor.result;

import dev.athanor.result.internal.PullCursor;
import dev.athanor.result.internal.RowPipeline;

/** A view of a {@link StreamingResult} that hands out rows as read-only maps. */
public final class StreamingMappingResult extends StreamingView<RowMapping> {
  StreamingMappingResult(PullCursor cursor, RowPipeline<RowMapping> pipeline, int batch) {
    super(cursor, pipeline, batch);
  }

  /** Returns a view that fetches {@code n} elements at a time, over the same cursor. */
  public StreamingMappingResult yieldPer(int n) {
    return new StreamingMappingResult(cursor, pipeline, checkYieldPer(n));
  }

  /** Returns a view that drops rows equal to one already handed out. */
  public StreamingMappingResult unique() {
    return new StreamingMappingResult(cursor, pipeline.withUnique(), batch);
  }
}
