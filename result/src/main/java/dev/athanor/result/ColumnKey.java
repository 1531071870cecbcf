package dev.athanor.result;

/**
 * Something a {@link Row} can be indexed by besides a position or a name: a column, a labelled
 * expression. Implemented by the expression language; {@code T} is the Java type of its values.
 *
 * <p>Keys are matched by identity ({@code equals}) first and then by {@link #keyName()}.
 *
 * @param <T> the Java type of the values under this key
 */
public interface ColumnKey<T> {
  /** Returns the name under which this key's values appear in a row. */
  String keyName();
}
