package dev.athanor.result;

import dev.athanor.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The column keys of a result: names in order, and the objects ({@link ColumnKey}s) that the
 * statement selected, each mapped to its position. One instance is shared by every row of a result.
 */
public final class RowKeys {
  private static final int AMBIGUOUS = -2;

  private final List<String> names;
  private final Map<Object, Integer> index;

  private RowKeys(List<String> names, Map<Object, Integer> index) {
    this.names = names;
    this.index = index;
  }

  /** Creates keys from column names only. */
  public static RowKeys of(List<String> names) {
    return of(names, Collections.nCopies(names.size(), null));
  }

  /**
   * Creates keys from names and, position by position, the selected objects (or {@code null} where
   * the position has no object, e.g. a textual statement).
   */
  public static RowKeys of(List<String> names, List<? extends @Nullable Object> objects) {
    if (names.size() != objects.size()) {
      throw new dev.athanor.error.ArgumentException("names and objects differ in size");
    }
    Map<Object, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      put(index, names.get(i), i);
      Object o = objects.get(i);
      if (o != null) {
        put(index, o, i);
      }
    }
    return new RowKeys(List.copyOf(names), index);
  }

  private static void put(Map<Object, Integer> index, Object key, int i) {
    Integer prev = index.putIfAbsent(key, i);
    if (prev != null && prev != i) {
      index.put(key, AMBIGUOUS);
    }
  }

  /** Returns the column names, in order. */
  public List<String> names() {
    return names;
  }

  /** Returns the number of columns. */
  public int size() {
    return names.size();
  }

  /**
   * Returns the position of a key (a name, a {@link ColumnKey}, or any object the statement
   * selected).
   *
   * @throws InvalidRequestException if no column has that key, or more than one does
   */
  public int indexOf(Object key) {
    Integer i = index.get(key);
    if (i == null && key instanceof ColumnKey<?> ck) {
      i = lookUp(ck);
    }
    if (i == null) {
      throw new InvalidRequestException(
          "Could not locate column in row for column '"
              + describe(key)
              + "'; the row has "
              + names
              + ". Select it, or look it up by one of these names.");
    }
    if (i == AMBIGUOUS) {
      throw new InvalidRequestException(
          "Ambiguous column name '"
              + describe(key)
              + "' in result set; the row has "
              + names
              + ". Give the columns distinct labels with .label(\"...\") or look them up by position.");
    }
    return i;
  }

  /** Returns whether {@link #indexOf(Object)} would find exactly one column for the key. */
  public boolean contains(Object key) {
    Integer i = index.get(key);
    if (i == null && key instanceof ColumnKey<?> ck) {
      i = lookUp(ck);
    }
    return i != null && i != AMBIGUOUS;
  }

  /** Returns keys for a subset of these columns, in the order given. */
  public RowKeys project(int[] positions) {
    List<String> n = new ArrayList<>(positions.length);
    Map<Object, Integer> idx = new HashMap<>();
    for (int j = 0; j < positions.length; j++) {
      n.add(names.get(positions[j]));
    }
    for (Map.Entry<Object, Integer> e : index.entrySet()) {
      for (int j = 0; j < positions.length; j++) {
        if (e.getValue() == positions[j]) {
          put(idx, e.getKey(), j);
        }
      }
    }
    return new RowKeys(List.copyOf(n), idx);
  }

  private static String describe(Object key) {
    return key instanceof ColumnKey<?> ck ? ck.keyName() : String.valueOf(key);
  }

  @Override
  public String toString() {
    return "RowKeys" + names;
  }

  private @Nullable Integer lookUp(ColumnKey<?> key) {
    Object target = key.keyTarget();
    Integer i = target == key ? null : index.get(target);
    return i != null ? i : index.get(key.keyName());
  }
}
