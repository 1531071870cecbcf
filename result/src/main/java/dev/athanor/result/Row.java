package dev.athanor.result;

import dev.athanor.error.InvalidRequestException;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of a result: a tuple of values that can be read by position, by column name, or by the
 * column object that was selected ({@code row.get(users.c("name"))}).
 *
 * <p>Rows compare equal when their values are equal, like tuples.
 */
public final class Row {
  static {
    dev.athanor.result.internal.RowArrays.grant(r -> r.values);
  }

  private final RowKeys keys;
  private final @Nullable Object[] values;

  /** Creates a row; the array is owned by the row from now on. */
  public Row(RowKeys keys, @Nullable Object[] values) {
    if (keys.size() != values.length) {
      throw new dev.athanor.error.ArgumentException(
          "row has " + values.length + " values but " + keys.size() + " keys");
    }
    this.keys = keys;
    this.values = values;
  }

  /** Returns the value at a position (0-based). */
  public @Nullable Object get(int index) {
    if (index < 0 || index >= values.length) {
      throw new InvalidRequestException(
          "Row has "
              + values.length
              + " columns "
              + keys.names()
              + "; index "
              + index
              + " is out of range.");
    }
    return values[index];
  }

  /** Returns the value of the column with this name. */
  public @Nullable Object get(String name) {
    return values[keys.indexOf(name)];
  }

  /** Returns the value of a selected column or labelled expression, typed by it. */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(ColumnKey<T> key) {
    return (T) values[keys.indexOf(key)];
  }

  /** Returns the value at a position, checked against a Java type. */
  public <T> @Nullable T get(int index, Class<T> type) {
    return cast(get(index), type, String.valueOf(index));
  }

  /** Returns the value of a named column, checked against a Java type. */
  public <T> @Nullable T get(String name, Class<T> type) {
    return cast(get(name), type, name);
  }

  private static <T> @Nullable T cast(@Nullable Object v, Class<T> type, String where) {
    if (v == null || type.isInstance(v)) {
      return type.cast(v);
    }
    throw new InvalidRequestException(
        "Column "
            + where
            + " holds a "
            + v.getClass().getName()
            + ", not a "
            + type.getName()
            + ".");
  }

  /** Returns the number of columns. */
  public int size() {
    return values.length;
  }

  /** Returns the keys (column names and selected objects) of this row. */
  public RowKeys keys() {
    return keys;
  }

  /** Returns the values as an unmodifiable list (which may contain {@code null}). */
  public List<@Nullable Object> values() {
    return new AbstractList<>() {
      @Override
      public @Nullable Object get(int index) {
        return values[index];
      }

      @Override
      public int size() {
        return values.length;
      }
    };
  }

  /** Returns a read-only map view of this row, keyed by column name. */
  public RowMapping mapping() {
    return new RowMapping(this);
  }

  /** Returns a row with only the given positions, in that order. */
  public Row project(int[] positions, RowKeys projectedKeys) {
    Object[] v = new Object[positions.length];
    for (int i = 0; i < positions.length; i++) {
      v[i] = values[positions[i]];
    }
    return new Row(projectedKeys, v);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Row r && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Object v = values[i];
      sb.append(v instanceof CharSequence ? "'" + v + "'" : Objects.toString(v));
    }
    if (values.length == 1) {
      sb.append(',');
    }
    return sb.append(')').toString();
  }
}
