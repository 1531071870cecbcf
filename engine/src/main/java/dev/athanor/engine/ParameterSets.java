package dev.athanor.engine;

import dev.athanor.engine.internal.ParameterRow;
import dev.athanor.error.ArgumentException;
import java.util.AbstractList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The parameter sets of an executemany given as rows of values in one order of names, without a map
 * per row: {@code execute(insert(items), ParameterSets.of(List.of("id", "name"), rows))} sends what
 * a list of maps with those keys sends.
 *
 * <p>Each set is a read-only {@link Map} view of its row that shares the names (and their index)
 * with every other set (the form the ORM's flush builds its rows in), so a set costs its array and
 * one small object where a {@code HashMap} costs a table and an entry per value. For an executemany
 * of many rows the maps are most of what the caller allocates, and what the garbage collector
 * copies while the rows wait to be sent (see docs/performance.md for the measured difference).
 *
 * <p>The rows are not copied: an array changed before the execution has sent it changes what is
 * sent.
 */
public final class ParameterSets {
  private ParameterSets() {}

  /**
   * Parameter sets of {@code names}, one per row of {@code rows}, each row's values in the order of
   * {@code names}.
   *
   * @throws ArgumentException if a name repeats or is null, or a row's length is not the number of
   *     names (the message names the row)
   */
  public static List<Map<String, @Nullable Object>> of(
      List<String> names, List<? extends @Nullable Object[]> rows) {
    Set<String> distinct = new HashSet<>();
    for (String n : names) {
      if (n == null || !distinct.add(n)) {
        throw new ArgumentException(
            "The names of parameter sets must be distinct and not null; got " + names + ".");
      }
    }
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      if (row == null || row.length != names.size()) {
        throw new ArgumentException(
            "Row "
                + i
                + " of the parameter sets has "
                + (row == null ? "no array" : row.length + " values")
                + " for the "
                + names.size()
                + " names "
                + names
                + "; give each row one value per name, in the names' order (null for NULL).");
      }
    }
    int[] positions = new int[names.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = i;
    }
    ParameterRow.Names shared = new ParameterRow.Names(names, positions);
    List<? extends @Nullable Object[]> copy = List.copyOf(rows);
    return new AbstractList<>() {
      @Override
      public Map<String, @Nullable Object> get(int i) {
        return shared.row(copy.get(i));
      }

      @Override
      public int size() {
        return copy.size();
      }
    };
  }
}
