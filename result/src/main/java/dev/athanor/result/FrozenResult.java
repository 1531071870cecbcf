package dev.athanor.result;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The rows of a result kept for reuse (e.g. in a cache): {@link #result()} makes a fresh {@link
 * Result} over them each time it is called. Made by {@code freeze()}.
 */
public final class FrozenResult {
  private final RowKeys keys;
  private final List<Row> rows;
  private final StatementOutcome outcome;

  FrozenResult(RowKeys keys, List<@Nullable Row> rows, StatementOutcome outcome) {
    this.keys = keys;
    @SuppressWarnings("NullAway")
    List<Row> copy = List.copyOf(rows);
    this.rows = copy;
    this.outcome = outcome;
  }

  /** Creates a frozen result from rows; used by streaming results. */
  public static FrozenResult of(RowKeys keys, List<Row> rows, StatementOutcome outcome) {
    return new FrozenResult(keys, List.copyOf(rows), outcome);
  }

  /** Returns a new result over the frozen rows. */
  public Result result() {
    return new Result(keys, rows, outcome);
  }

  /** Returns the frozen rows. */
  public List<Row> data() {
    return rows;
  }

  /** Returns the column keys. */
  public RowKeys keys() {
    return keys;
  }
}
