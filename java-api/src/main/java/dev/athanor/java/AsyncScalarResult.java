package dev.athanor.java;

import dev.athanor.result.StreamingScalarResult;

/**
 * The Java face of a {@link StreamingScalarResult}: one column of each row.
 *
 * @param <T> the column's Java type
 */
public final class AsyncScalarResult<T> extends AsyncResultView<T> {
  private final StreamingScalarResult<T> core;

  AsyncScalarResult(StreamingScalarResult<T> core) {
    super(core);
    this.core = core;
  }

  /** Returns a view that fetches {@code n} elements at a time over the same cursor. */
  public AsyncScalarResult<T> yieldPer(int n) {
    return new AsyncScalarResult<>(core.yieldPer(n));
  }

  /** Returns a view that drops repeated values. */
  public AsyncScalarResult<T> unique() {
    return new AsyncScalarResult<>(core.unique());
  }

  /** Returns a view that drops values whose {@code key} equals that of one handed out before. */
  public AsyncScalarResult<T> unique(java.util.function.Function<? super T, ?> key) {
    return new AsyncScalarResult<>(core.unique(key));
  }
}
