package dev.athanor.engine.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One parameter set of an executemany whose sets all name the same parameters: a read-only map over
 * a value array, the names and their positions shared by every set made with the same {@link
 * Names}. A flush of many new objects builds one per row; a {@code LinkedHashMap} per row cost its
 * table, an entry per value and a key set per comparison.
 *
 * <p>{@link #keySet()} returns the shared names' set, so that comparing two sets' names is an
 * identity check when they share {@link Names}.
 */
public final class ParameterRow extends AbstractMap<String, @Nullable Object> {

  /**
   * The parameter names that rows share, each with its position in a row's value array (which may
   * be longer than the names: positions need not be dense).
   */
  public static final class Names {
    private final String[] names;
    private final int[] positions;
    private final Map<String, Integer> index;
    private final Set<String> set;

    /**
     * @param names the parameter names, in order
     * @param positions for each name, its position in a row's value array
     */
    public Names(List<String> names, int[] positions) {
      if (names.size() != positions.length) {
        throw new IllegalArgumentException("a position for every name");
      }
      this.names = names.toArray(String[]::new);
      this.positions = positions.clone();
      this.index = HashMap.newHashMap(this.names.length);
      for (int i = 0; i < this.names.length; i++) {
        if (index.put(this.names[i], this.positions[i]) != null) {
          throw new IllegalArgumentException("duplicate parameter name " + this.names[i]);
        }
      }
      this.set = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(this.names)));
    }

    /** Returns the names as a set, in order; the same instance every time. */
    public Set<String> set() {
      return set;
    }

    /** Makes a row over {@code values}, which the row takes without copying. */
    public ParameterRow row(@Nullable Object[] values) {
      return new ParameterRow(this, values);
    }
  }

  private final Names names;
  private final @Nullable Object[] values;

  private ParameterRow(Names names, @Nullable Object[] values) {
    this.names = names;
    this.values = values;
  }

  @Override
  public int size() {
    return names.names.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return names.index.containsKey(key);
  }

  @Override
  public @Nullable Object get(Object key) {
    Integer at = names.index.get(key);
    return at == null ? null : values[at];
  }

  @Override
  public Set<String> keySet() {
    return names.set;
  }

  @Override
  public Set<Map.Entry<String, @Nullable Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.names.length;
      }

      @Override
      public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < names.names.length;
          }

          @Override
          public Map.Entry<String, @Nullable Object> next() {
            if (i >= names.names.length) {
              throw new NoSuchElementException();
            }
            int at = i++;
            return new SimpleImmutableEntry<>(names.names[at], values[names.positions[at]]);
          }
        };
      }
    };
  }
}
