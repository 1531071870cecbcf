package dev.athanor.result.internal;

import dev.athanor.result.Row;
import dev.athanor.result.RowKeys;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a result view does to each row of its source: project to some columns, convert (to a scalar,
 * a mapping), and drop repeats when uniqueness was asked for. Shared by buffered and streaming
 * results so both filter the same way.
 *
 * @param <E> the element type the view hands out
 */
public final class RowPipeline<E> {
  /** Returned by {@link #accept} for a row that the uniqueness filter drops. */
  public static final Object SKIP = new Object();

  private final int @Nullable [] positions;
  private final RowKeys keys;
  private final Function<Row, E> convert;
  private final boolean unique;
  private final @Nullable Function<Object, ?> uniqueKey;
  private @Nullable Set<Object> seen;

  private RowPipeline(
      int @Nullable [] positions,
      RowKeys keys,
      Function<Row, E> convert,
      boolean unique,
      @Nullable Function<Object, ?> uniqueKey) {
    this.positions = positions;
    this.keys = keys;
    this.convert = convert;
    this.unique = unique;
    this.uniqueKey = uniqueKey;
  }

  /** Returns a pipeline that hands rows out unchanged. */
  public static RowPipeline<Row> rows(RowKeys keys) {
    return new RowPipeline<>(null, keys, r -> r, false, null);
  }

  /** Returns the projection of this pipeline alone, as a function on source rows. */
  public java.util.function.Function<Row, Row> projection() {
    int[] p = positions;
    if (p == null) {
      return dev.athanor.result.internal.ProcessedSource.IDENTITY;
    }
    RowKeys k = keys;
    return r -> r.project(p, k);
  }

  /** Returns the keys of the rows after projection. */
  public RowKeys keys() {
    return keys;
  }

  /** Returns whether repeated elements are dropped. */
  public boolean unique() {
    return unique;
  }

  /** Returns a pipeline that keeps only the given keys (names, positions or column objects). */
  public RowPipeline<Row> project(Object... columnKeys) {
    int[] local = new int[columnKeys.length];
    for (int i = 0; i < columnKeys.length; i++) {
      Object k = columnKeys[i];
      local[i] = k instanceof Integer n ? checkIndex(n) : keys.indexOf(k);
    }
    int[] composed = new int[local.length];
    for (int i = 0; i < local.length; i++) {
      composed[i] = positions == null ? local[i] : positions[local[i]];
    }
    return new RowPipeline<>(composed, keys.project(local), r -> r, unique, uniqueKey);
  }

  private int checkIndex(int n) {
    if (n < 0 || n >= keys.size()) {
      throw new dev.athanor.error.InvalidRequestException(
          "Column index " + n + " is out of range; the result has " + keys.names() + ".");
    }
    return n;
  }

  /**
   * Returns a pipeline that hands out one column's value of each row (a scalar view), read from the
   * source row without building a projected row for it.
   */
  public <T> RowPipeline<T> scalar(Object columnKey) {
    RowPipeline<Row> one = project(columnKey);
    int[] at = one.positions;
    return new RowPipeline<>(at, one.keys, new ColumnValue<>(at[0]), unique, null);
  }

  /** Reads one column: of a projected row through {@link #apply}, of a source row in accept. */
  private record ColumnValue<T>(int sourcePosition) implements Function<Row, T> {
    @Override
    @SuppressWarnings("unchecked")
    public T apply(Row projected) {
      return (T) projected.get(0);
    }
  }

  /** Returns the same projection with a different conversion. */
  public <F> RowPipeline<F> convert(Function<Row, F> to) {
    // A key strategy was written for this view's elements; the converted view compares by equals.
    return new RowPipeline<>(positions, keys, to, unique, null);
  }

  /** Returns the same pipeline with the uniqueness filter on. */
  public RowPipeline<E> withUnique() {
    return new RowPipeline<>(positions, keys, convert, true, null);
  }

  /**
   * Returns the same pipeline dropping elements whose {@code key} equals that of one handed out
   * before (SQLAlchemy's {@code unique(strategy)}); an ORM passes an identity key for entities.
   */
  @SuppressWarnings("unchecked")
  public RowPipeline<E> withUnique(Function<? super E, ?> key) {
    return new RowPipeline<>(positions, keys, convert, true, (Function<Object, ?>) key);
  }

  /** Returns a fresh copy (its own uniqueness memory), for a new view of the same source. */
  public RowPipeline<E> copy() {
    return new RowPipeline<>(positions, keys, convert, unique, uniqueKey);
  }

  /** Projects and converts a source row; {@link #SKIP} if it repeats an earlier one. */
  public Object accept(Row source) {
    E e;
    if (convert instanceof ColumnValue<E> column) {
      @SuppressWarnings("unchecked")
      E value = (E) source.get(column.sourcePosition());
      e = value;
    } else {
      e = convert.apply(positions == null ? source : source.project(positions, keys));
    }
    if (unique) {
      if (seen == null) {
        seen = new HashSet<>();
      }
      Object k = e == null ? NULL_KEY : uniqueKey == null ? e : uniqueKey.apply(e);
      if (!seen.add(k == null ? NULL_KEY : k)) {
        return SKIP;
      }
    }
    return e == null ? NULL_VALUE : e;
  }

  private static final Object NULL_KEY = new Object();

  /** Stands for a {@code null} element in {@link #accept}'s answer. */
  public static final Object NULL_VALUE = new Object();

  /** Turns an answer of {@link #accept} that is not {@link #SKIP} back into the element. */
  @SuppressWarnings("unchecked")
  public @Nullable E unwrap(Object accepted) {
    return accepted == NULL_VALUE ? null : (E) accepted;
  }
}
