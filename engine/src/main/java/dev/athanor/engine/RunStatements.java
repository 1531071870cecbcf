package dev.athanor.engine;

import dev.athanor.sql.CompiledStatement;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The driver statements of one run, made one at a time. An executemany's pages are created and
 * bound when the run asks for the next one, which it does as soon as it has sent the current one:
 * the driver parses and binds page {@code k + 1} while the database runs page {@code k}, and a run
 * holds two pages' statements at most rather than all of them. Every value was converted for the
 * driver before the first page was made, so a bad value still stops the run before anything is
 * sent.
 */
final class RunStatements {
  private final io.r2dbc.spi.@Nullable Connection raw;
  private final StatementPlan.@Nullable ManyValues many;
  private final int rows;
  private final int perRow;
  private final @Nullable Object[] values;
  private io.r2dbc.spi.@Nullable Statement single;
  private int nextRow;

  private RunStatements(
      io.r2dbc.spi.@Nullable Connection raw,
      StatementPlan.@Nullable ManyValues many,
      int rows,
      int perRow,
      @Nullable Object[] values,
      io.r2dbc.spi.@Nullable Statement single) {
    this.raw = raw;
    this.many = many;
    this.rows = rows;
    this.perRow = perRow;
    this.values = values;
    this.single = single;
  }

  /** One statement, already bound. */
  static RunStatements single(io.r2dbc.spi.Statement statement) {
    return new RunStatements(null, null, 0, 0, new Object[0], statement);
  }

  /**
   * The pages of an executemany: {@code rows} parameter sets of {@code perRow} values each, in
   * {@code values} row after row, already converted for the driver (a {@link StatementPlan.NullOf}
   * for NULL).
   */
  static RunStatements paged(
      io.r2dbc.spi.Connection raw,
      StatementPlan.ManyValues many,
      int rows,
      int perRow,
      @Nullable Object[] values) {
    return new RunStatements(raw, many, rows, perRow, values, null);
  }

  /** Returns whether a statement is left to make. */
  boolean hasNext() {
    return many == null ? single != null : nextRow < rows;
  }

  /** Makes the next statement: creates it on the connection and binds its values. */
  io.r2dbc.spi.Statement next() {
    StatementPlan.ManyValues m = many;
    if (m == null) {
      io.r2dbc.spi.Statement s = single;
      if (s == null) {
        throw new NoSuchElementException();
      }
      single = null;
      return s;
    }
    if (nextRow >= rows) {
      throw new NoSuchElementException();
    }
    int from = nextRow;
    int to = Math.min(from + m.pageRows(), rows);
    CompiledStatement c =
        to - from == m.pageRows() ? m.fullPage() : java.util.Objects.requireNonNull(m.lastPage());
    io.r2dbc.spi.Statement st = java.util.Objects.requireNonNull(raw).createStatement(c.sql());
    int first = from * perRow;
    int n = (to - from) * perRow;
    for (int i = 0; i < n; i++) {
      StatementPlan.bindValue(st, i, values[first + i]);
    }
    nextRow = to;
    return st;
  }
}
