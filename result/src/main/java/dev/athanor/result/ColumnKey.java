package dev.athanor.result;

/**
 * Something a {@link Row} can be indexed by besides a position or a name: a column, a labelled
 * expression. Implemented by the expression language; {@code T} is the Java type of its values.
 *
 * <p>Keys are matched by identity ({@code equals}) first, then by the {@link #keyTarget()} they
 * stand for, and then by {@link #keyName()}.
 *
 * @param <T> the Java type of the values under this key
 */
public interface ColumnKey<T> {
  /** Returns the name under which this key's values appear in a row. */
  String keyName();

  /**
   * Returns the key this one stands for (an ORM attribute stands for its column); the key itself by
   * default.
   */
  default Object keyTarget() {
    return this;
  }
}
