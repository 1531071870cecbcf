package dev.athanor.result;

import dev.athanor.result.internal.RowBuffer;
import dev.athanor.result.internal.RowPipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The buffered result of a statement: every row was read from the database before this object was
 * handed out, so its fetches are plain calls and the connection is free for the next statement. For
 * results too large to hold in memory use a connection's {@code stream()}.
 *
 * <pre>{@code
 * Result r = conn.execute(select(users)).block();
 * for (Row row : r) { System.out.println(row.get(users.c("name"))); }
 * }</pre>
 */
public final class Result extends ResultView<Row> {
  private final StatementOutcome outcome;

  /** Creates a result over rows read in full; used by the engine. */
  public Result(RowKeys keys, List<Row> rows, StatementOutcome outcome) {
    this(new RowBuffer(rows), RowPipeline.rows(keys), outcome);
  }

  private Result(RowBuffer buffer, RowPipeline<Row> pipeline, StatementOutcome outcome) {
    super(buffer, pipeline);
    this.outcome = outcome;
  }

  /** Returns an empty result for a statement that returned no rows. */
  public static Result ofOutcome(StatementOutcome outcome) {
    return new Result(RowKeys.of(List.of()), List.of(), outcome);
  }

  /**
   * Sets how many elements {@link #partitions()} puts in each list, for this result and its views
   * (SQLAlchemy's {@code Result.yield_per}); returns this.
   */
  public Result yieldPer(int n) {
    setYieldPer(n);
    return this;
  }

  /** Returns a view that drops rows equal to one already handed out. */
  public Result unique() {
    return new Result(buffer, pipeline.withUnique(), outcome);
  }

  /**
   * Returns a view that drops rows whose {@code key} equals that of a row already handed out
   * (SQLAlchemy's {@code unique(strategy)}).
   */
  public Result unique(java.util.function.Function<? super Row, ?> key) {
    return new Result(buffer, pipeline.withUnique(key), outcome);
  }

  /**
   * Returns a result whose rows are those {@code processor} makes of this one's remaining rows (as
   * this view projects them), processed at once as one batch; this result is then exhausted. An ORM
   * turns columns into entities this way. A uniqueness filter on this view applies to the processed
   * rows.
   */
  public Result process(RowProcessor processor) {
    java.util.function.Function<Row, Row> projection = pipeline.projection();
    List<Row> source = buffer.drain();
    List<Row> rows =
        dev.athanor.result.internal.ProcessedSource.apply(source, projection, processor);
    RowPipeline<Row> next = RowPipeline.rows(processor.keys(pipeline.keys()));
    return new Result(new RowBuffer(rows), pipeline.unique() ? next.withUnique() : next, outcome);
  }

  /**
   * Returns a view with only these columns, in this order: names, 0-based positions, or the column
   * objects that were selected.
   */
  public Result columns(Object... keys) {
    return new Result(buffer, pipeline.project(keys), outcome);
  }

  /** Returns a view that hands out the first column of each row. */
  public <T> ScalarResult<T> scalars() {
    return scalars(0);
  }

  /** Returns a view that hands out one column of each row: by name, position or object. */
  @SuppressWarnings("unchecked")
  public <T> ScalarResult<T> scalars(Object key) {
    return new ScalarResult<>(buffer, pipeline.<T>scalar(key));
  }

  /** Returns a view that hands out one column of each row, typed by the column object. */
  public <T> ScalarResult<T> scalars(ColumnKey<T> column) {
    return scalars((Object) column);
  }

  /** Returns a view that hands out each row as a read-only {@code Map} keyed by column name. */
  public MappingResult mappings() {
    return new MappingResult(buffer, pipeline.convert(Row::mapping));
  }

  /** Returns this result; for symmetry with typed tuple results. */
  public Result tuples() {
    return this;
  }

  /** Returns the first column of the first row (or {@code null}), and closes the result. */
  public @Nullable Object scalar() {
    Row r = first();
    return r == null ? null : r.get(0);
  }

  /** Returns the first column of the only row, and closes the result. */
  public @Nullable Object scalarOne() {
    return this.<Object>scalars().one();
  }

  /** Returns the first column of the only row, or {@code null} without a row; closes. */
  public @Nullable Object scalarOneOrNone() {
    return this.<Object>scalars().oneOrNone();
  }

  /**
   * Reads the remaining rows into a {@link FrozenResult}, from which any number of equal results
   * can be made (for caching).
   */
  public FrozenResult freeze() {
    return new FrozenResult(pipeline.keys(), all(), outcome);
  }

  /** Returns a result with the remaining rows of this one followed by those of the others. */
  public Result merge(Result... others) {
    List<Row> rows = new ArrayList<>(all());
    for (Result o : others) {
      rows.addAll(o.all());
    }
    return new Result(pipeline.keys(), rows, outcome);
  }

  /** Returns the statement's outcome: row count, generated key, parameters. */
  public StatementOutcome outcome() {
    return outcome;
  }

  /** Returns the number of rows an UPDATE or DELETE matched or an INSERT wrote; -1 if unknown. */
  public long rowcount() {
    return outcome.rowcount();
  }

  /** Returns whether the statement produced rows. */
  public boolean returnsRows() {
    return outcome.returnsRows();
  }

  /** Returns the primary key of the row a single-row INSERT wrote, or {@code null}. */
  public @Nullable Row insertedPrimaryKey() {
    return outcome.insertedPrimaryKey();
  }

  /** Returns the parameter sets an INSERT was run with (empty for other statements). */
  public List<Map<String, @Nullable Object>> lastInsertedParams() {
    return outcome.lastInsertedParams();
  }

  @Override
  public String toString() {
    return "Result" + keys() + (isClosed() ? " (closed)" : "");
  }
}
