package dev.athanor.result;

import dev.athanor.result.internal.RowPipeline;
import dev.athanor.result.internal.RowSource;

/** A view of a {@link StreamingResult} that hands out rows as read-only maps. */
public final class StreamingMappingResult extends StreamingView<RowMapping> {
  StreamingMappingResult(RowSource cursor, RowPipeline<RowMapping> pipeline, int batch) {
    super(cursor, pipeline, batch);
  }

  /** Returns a view that fetches {@code n} elements at a time, over the same cursor. */
  public StreamingMappingResult yieldPer(int n) {
    return new StreamingMappingResult(cursor, pipeline, checkYieldPer(n));
  }

  /** Returns a view that drops rows whose {@code key} equals that of one handed out before. */
  public StreamingMappingResult unique(java.util.function.Function<? super RowMapping, ?> key) {
    return new StreamingMappingResult(cursor, pipeline.withUnique(key), batch);
  }

  /** Returns a view that drops rows equal to one already handed out. */
  public StreamingMappingResult unique() {
    return new StreamingMappingResult(cursor, pipeline.withUnique(), batch);
  }
}
