package dev.athanor.sql;

import dev.athanor.error.ArgumentException;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
 * with every other set, so a set costs its array and one small object where a {@code HashMap} costs
 * a table and an entry per value. For an executemany of many rows the maps are most of what the
 * caller allocates, and what the garbage collector copies while the rows wait to be sent (see
 * docs/performance.md for the measured difference).
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
    Names n = new Names(names);
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      if (row == null || row.length != n.keys.length) {
        throw new ArgumentException(
            "Row "
                + i
                + " of the parameter sets has "
                + (row == null ? "no array" : row.length + " values")
                + " for the "
                + n.keys.length
                + " names "
                + names
                + "; give each row one value per name, in the names' order (null for NULL).");
      }
    }
    return new Sets(n, List.copyOf(rows));
  }

  /** The names the sets share: their order, their index, their set. */
  private static final class Names {
    final String[] keys;
    final Map<String, Integer> index;
    final Set<String> keySet;

    Names(List<String> names) {
      keys = new String[names.size()];
      index = HashMap.newHashMap(names.size());
      Set<String> set = new LinkedHashSet<>();
      for (int i = 0; i < keys.length; i++) {
        String k = names.get(i);
        if (k == null || index.put(k, i) != null) {
          throw new ArgumentException(
              "The names of parameter sets must be distinct and not null; got " + names + ".");
        }
        keys[i] = k;
        set.add(k);
      }
      keySet = Collections.unmodifiableSet(set);
    }
  }

  /** The list of sets: each made when asked for, over its row. */
  private static final class Sets extends AbstractList<Map<String, @Nullable Object>> {
    private final Names names;
    private final List<? extends @Nullable Object[]> rows;

    Sets(Names names, List<? extends @Nullable Object[]> rows) {
      this.names = names;
      this.rows = rows;
    }

    @Override
    public Map<String, @Nullable Object> get(int i) {
      return new RowSet(names, java.util.Objects.requireNonNull(rows.get(i)));
    }

    @Override
    public int size() {
      return rows.size();
    }
  }

  /** One parameter set: a read-only map over a row. */
  private static final class RowSet extends AbstractMap<String, @Nullable Object> {
    private final Names names;
    private final @Nullable Object[] row;

    RowSet(Names names, @Nullable Object[] row) {
      this.names = names;
      this.row = row;
    }

    @Override
    public @Nullable Object get(@Nullable Object key) {
      Integer i = names.index.get(key);
      return i == null ? null : row[i];
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return names.index.containsKey(key);
    }

    @Override
    public int size() {
      return names.keys.length;
    }

    @Override
    public Set<String> keySet() {
      return names.keySet;
    }

    @Override
    public Set<Entry<String, @Nullable Object>> entrySet() {
      Set<Entry<String, @Nullable Object>> entries = new LinkedHashSet<>();
      for (int i = 0; i < row.length; i++) {
        entries.add(new SimpleImmutableEntry<>(names.keys[i], row[i]));
      }
      return Collections.unmodifiableSet(entries);
    }
  }
}
