package dev.athanor.engine;

import org.jspecify.annotations.Nullable;

/**
 * Options that change how statements run, set on an engine (its default), a connection, or one
 * execution; later ones override earlier ones.
 *
 * @param isolationLevel the isolation of transactions begun from now on, or {@code null} for the
 *     database default
 * @param streamResults ask for streaming; {@code execute} then refuses and points to {@code stream}
 * @param yieldPer rows fetched per round trip when streaming (the server-side cursor's fetch size),
 *     or {@code 0} for the default
 */
public record ExecutionOptions(
    @Nullable IsolationLevel isolationLevel, boolean streamResults, int yieldPer) {

  /** The defaults: database isolation, buffered results, default batch size. */
  public static final ExecutionOptions DEFAULTS = new ExecutionOptions(null, false, 0);

  /** Default rows per round trip for a streaming result. */
  public static final int DEFAULT_YIELD_PER = 1000;

  /** Returns a copy with another isolation level. */
  public ExecutionOptions isolationLevel(IsolationLevel level) {
    return new ExecutionOptions(level, streamResults, yieldPer);
  }

  /** Returns a copy that asks for streaming results. */
  public ExecutionOptions streamResults(boolean on) {
    return new ExecutionOptions(isolationLevel, on, yieldPer);
  }

  /** Returns a copy with another fetch size for streaming (implies stream results). */
  public ExecutionOptions yieldPer(int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("yieldPer must be at least 1, not " + rows);
    }
    return new ExecutionOptions(isolationLevel, true, rows);
  }

  /** Returns these options with the non-default values of {@code other} laid over them. */
  public ExecutionOptions merge(ExecutionOptions other) {
    return new ExecutionOptions(
        other.isolationLevel != null ? other.isolationLevel : isolationLevel,
        other.streamResults || streamResults,
        other.yieldPer > 0 ? other.yieldPer : yieldPer);
  }

  /** Returns the fetch size a stream uses. */
  public int effectiveYieldPer() {
    return yieldPer > 0 ? yieldPer : DEFAULT_YIELD_PER;
  }
}
