package dev.athanor.result.internal;

import dev.athanor.result.Row;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A row's own value array, for Athanor's modules that keep a row's values without copying them (the
 * ORM takes a loaded row's values as the object's committed ones). A row never changes its array
 * and neither may whoever reads it here: rows and their readers share it.
 */
public final class RowArrays {
  private static volatile @Nullable Function<Row, @Nullable Object[]> access;

  private RowArrays() {}

  /** Called once, by {@link Row}'s class initialisation. */
  public static void grant(Function<Row, @Nullable Object[]> rowValues) {
    if (access == null) {
      access = rowValues;
    }
  }

  /** Returns the array behind {@code row}; it must not be changed. */
  public static @Nullable Object[] of(Row row) {
    Function<Row, @Nullable Object[]> a = access;
    if (a == null) {
      throw new IllegalStateException("Row has not granted access to its values");
    }
    return a.apply(row);
  }
}
