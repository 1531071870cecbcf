package dev.athanor.result;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A row seen as a read-only {@code Map} from column name to value, in column order. Returned by
 * {@link Result#mappings()} and {@link Row#mapping()}.
 */
public final class RowMapping extends AbstractMap<String, @Nullable Object> {
  private final Row row;

  RowMapping(Row row) {
    this.row = row;
  }

  /** Returns the row behind this mapping. */
  public Row row() {
    return row;
  }

  @Override
  public @Nullable Object get(Object key) {
    return row.keys().contains(key) ? row.get(row.keys().indexOf(key)) : null;
  }

  /** Returns the value of a selected column or labelled expression, typed by it. */
  public <T> @Nullable T get(ColumnKey<T> key) {
    return row.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return row.keys().contains(key);
  }

  @Override
  public Set<Map.Entry<String, @Nullable Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
        return new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < row.size();
          }

          @Override
          public Map.Entry<String, @Nullable Object> next() {
            int at = i++;
            return new SimpleImmutableEntry<>(row.keys().names().get(at), row.get(at));
          }
        };
      }

      @Override
      public int size() {
        return row.size();
      }
    };
  }
}
