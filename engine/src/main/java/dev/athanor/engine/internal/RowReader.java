package dev.athanor.engine.internal;

import dev.athanor.result.Row;
import dev.athanor.result.RowKeys;
import dev.athanor.sql.Expression;
import dev.athanor.sql.SqlType;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.RowMetadata;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads driver rows into {@link Row}s. The keys are built from the first row's metadata and shared
 * by every row; values are converted to the selected expressions' Java types. Executions of one
 * cached compilation share the keys too: the first stores them in the cache entry, and later ones
 * take them when they select the same expression objects and the driver names the same columns.
 */
public final class RowReader {
  private final List<Expression<?>> columns;
  private final CompiledCache.@Nullable Entry cached;
  private volatile @Nullable RowKeys keys;
  private @Nullable SqlType<?>[] types;

  /** What executions of one compilation share: the expressions, the names, keys and types. */
  record Shape(
      List<Expression<?>> columns, List<String> names, RowKeys keys, @Nullable SqlType<?>[] types) {

    boolean selects(List<Expression<?>> other) {
      if (other.size() != columns.size()) {
        return false;
      }
      for (int i = 0; i < other.size(); i++) {
        if (other.get(i) != columns.get(i)) {
          return false;
        }
      }
      return true;
    }

    boolean names(RowMetadata meta) {
      List<? extends ColumnMetadata> cms = meta.getColumnMetadatas();
      if (cms.size() != names.size()) {
        return false;
      }
      for (int i = 0; i < names.size(); i++) {
        if (!names.get(i).equals(cms.get(i).getName())) {
          return false;
        }
      }
      return true;
    }
  }

  /** Creates a reader for a statement that selects these expressions (empty if unknown). */
  public RowReader(List<Expression<?>> columns) {
    this(columns, null);
  }

  /**
   * Creates a reader that shares its keys with the other executions of a cached compilation ({@code
   * cached}, or {@code null} for a reader of its own).
   */
  public RowReader(List<Expression<?>> columns, CompiledCache.@Nullable Entry cached) {
    this.columns = columns;
    this.cached = cached;
  }

  /** Returns the keys once a row was read, else keys named after the selected expressions. */
  public RowKeys keys() {
    RowKeys k = keys;
    if (k != null) {
      return k;
    }
    List<String> names = new ArrayList<>();
    for (Expression<?> e : columns) {
      names.add(e.keyName());
    }
    return RowKeys.of(names, columns);
  }

  /** Reads one row. */
  public Row read(io.r2dbc.spi.Row row, RowMetadata meta) {
    RowKeys k = keys;
    if (k == null) {
      k = init(meta);
    }
    int n = k.size();
    Object[] values = new Object[n];
    SqlType<?>[] t = types;
    for (int i = 0; i < n; i++) {
      Object v = row.get(i);
      values[i] = t == null || t[i] == null ? plain(v) : coerce(v, t[i]);
    }
    return new Row(k, values);
  }

  private @Nullable Shape shared() {
    CompiledCache.Entry c = cached;
    return c == null ? null : c.rowShape();
  }

  private synchronized RowKeys init(RowMetadata meta) {
    RowKeys k = keys;
    if (k != null) {
      return k;
    }
    Shape shared = shared();
    if (shared != null && shared.selects(columns) && shared.names(meta)) {
      types = shared.types();
      keys = shared.keys();
      return shared.keys();
    }
    List<? extends ColumnMetadata> cms = meta.getColumnMetadatas();
    List<String> names = new ArrayList<>(cms.size());
    for (ColumnMetadata cm : cms) {
      names.add(cm.getName());
    }
    SqlType<?>[] t = null;
    if (columns.size() == names.size()) {
      t = new SqlType<?>[names.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = columns.get(i).type();
      }
      k = RowKeys.of(names, columns);
    } else {
      k = RowKeys.of(names);
    }
    types = t;
    keys = k;
    CompiledCache.Entry c = cached;
    if (c != null) {
      c.rowShape(new Shape(List.copyOf(columns), List.copyOf(names), k, t));
    }
    return k;
  }

  private static @Nullable Object plain(@Nullable Object v) {
    if (v instanceof ByteBuffer b) {
      byte[] out = new byte[b.remaining()];
      b.duplicate().get(out);
      return out;
    }
    if (v instanceof io.r2dbc.postgresql.codec.Json j) {
      return j.asString();
    }
    return v;
  }

  /** Converts a driver value to the Java type of a SQL type. */
  public static @Nullable Object coerce(@Nullable Object v, SqlType<?> type) {
    return v == null ? null : type.fromDriver(plain(v));
  }
}
