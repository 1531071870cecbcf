package dev.athanor.java;

import dev.athanor.result.RowMapping;
import dev.athanor.result.StreamingMappingResult;

/** The Java face of a {@link StreamingMappingResult}: rows as maps. */
public final class AsyncMappingResult extends AsyncResultView<RowMapping> {
  private final StreamingMappingResult core;

  AsyncMappingResult(StreamingMappingResult core) {
    super(core);
    this.core = core;
  }

  /** Returns a view that fetches {@code n} elements at a time over the same cursor. */
  public AsyncMappingResult yieldPer(int n) {
    return new AsyncMappingResult(core.yieldPer(n));
  }

  /** Returns a view that drops repeated rows. */
  public AsyncMappingResult unique() {
    return new AsyncMappingResult(core.unique());
  }

  /** Returns a view that drops rows whose {@code key} equals that of one handed out before. */
  public AsyncMappingResult unique(
      java.util.function.Function<? super dev.athanor.result.RowMapping, ?> key) {
    return new AsyncMappingResult(core.unique(key));
  }
}
