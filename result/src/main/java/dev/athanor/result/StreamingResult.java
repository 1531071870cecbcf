package dev.athanor.result;

import dev.athanor.result.internal.ProcessedSource;
import dev.athanor.result.internal.RowPipeline;
import dev.athanor.result.internal.RowSource;
import reactor.core.publisher.Mono;

/**
 * The streaming result of a statement run with a connection's {@code stream()}: rows are read from
 * a server-side cursor as they are fetched, with backpressure, so any number of rows can be read in
 * bounded memory. The connection is busy until the stream is read to its end or closed.
 *
 * <p>SQLAlchemy calls this {@code AsyncResult}; the Kotlin and Java faces offer it under that name,
 * with {@code Flow} and {@code Publisher} iteration.
 */
public final class StreamingResult extends StreamingView<Row> {
  static {
    dev.athanor.result.internal.Streams.install(StreamingResult::new);
  }

  private StreamingResult(RowSource cursor, RowKeys keys, int batch) {
    super(cursor, RowPipeline.rows(keys), batch);
  }

  private StreamingResult(RowSource cursor, RowPipeline<Row> pipeline, int batch) {
    super(cursor, pipeline, batch);
  }

  /**
   * Returns a view that fetches {@code n} rows at a time ({@link #partitions()}, iteration, {@code
   * Flow} batches), over the same cursor (SQLAlchemy's {@code AsyncResult.yield_per}).
   */
  public StreamingResult yieldPer(int n) {
    return new StreamingResult(cursor, pipeline, checkYieldPer(n));
  }

  /** Returns a view that drops rows equal to one already handed out. */
  public StreamingResult unique() {
    return new StreamingResult(cursor, pipeline.withUnique(), batch);
  }

  /** Returns a view that drops rows whose {@code key} equals that of one handed out before. */
  public StreamingResult unique(java.util.function.Function<? super Row, ?> key) {
    return new StreamingResult(cursor, pipeline.withUnique(key), batch);
  }

  /**
   * Returns a stream whose rows are those {@code processor} makes of this one's rows (as this view
   * projects them), one fetched batch at a time (the yield-per size), over the same cursor. An ORM
   * turns columns into entities this way while streaming. A uniqueness filter on this view applies
   * to the processed rows.
   */
  public StreamingResult process(RowProcessor processor) {
    RowPipeline<Row> next = RowPipeline.rows(processor.keys(pipeline.keys()));
    return new StreamingResult(
        new ProcessedSource(cursor, pipeline.projection(), processor),
        pipeline.unique() ? next.withUnique() : next,
        batch);
  }

  /** Returns a view with only these columns (names, positions or column objects). */
  public StreamingResult columns(Object... keys) {
    return new StreamingResult(cursor, pipeline.project(keys), batch);
  }

  /** Returns a view that hands out the first column of each row. */
  public <T> StreamingScalarResult<T> scalars() {
    return scalars(0);
  }

  /** Returns a view that hands out one column of each row. */
  @SuppressWarnings("unchecked")
  public <T> StreamingScalarResult<T> scalars(Object key) {
    return new StreamingScalarResult<>(cursor, pipeline.<T>scalar(key), batch);
  }

  /** Returns a view that hands out one column of each row, typed by the column object. */
  public <T> StreamingScalarResult<T> scalars(ColumnKey<T> column) {
    return scalars((Object) column);
  }

  /** Returns a view that hands out rows as read-only maps keyed by column name. */
  public StreamingMappingResult mappings() {
    return new StreamingMappingResult(cursor, pipeline.convert(Row::mapping), batch);
  }

  /** Fetches the first column of the first row and closes the stream. */
  public Mono<Object> scalar() {
    return this.<Object>scalars().first();
  }

  /** Fetches the first column of the only row and closes the stream. */
  public Mono<Object> scalarOne() {
    return this.<Object>scalars().one();
  }

  /** Fetches the first column of the only row, empty without a row, and closes the stream. */
  public Mono<Object> scalarOneOrNone() {
    return this.<Object>scalars().oneOrNone();
  }

  /** Reads the remaining rows into a {@link FrozenResult}. */
  public Mono<FrozenResult> freeze() {
    return all()
        .map(rows -> {
          @SuppressWarnings("NullAway")
          java.util.List<Row> nonNull = (java.util.List<Row>) (java.util.List<?>) rows;
          return FrozenResult.of(pipeline.keys(), nonNull, StatementOutcome.rows());
        });
  }

  @Override
  public String toString() {
    return "StreamingResult" + keys();
  }
}
