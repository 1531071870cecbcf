package dev.athanor.engine.internal;

import dev.athanor.sql.SqlType;
import dev.athanor.sql.Types;
import org.jspecify.annotations.Nullable;

/**
 * What the drivers bind for a value of a SQL type: the type's own conversion, then the driver's
 * wrapper where a driver needs one (PostgreSQL binds JSON as its {@code Json} codec type, not as
 * text). The language ({@code dev.athanor.sql}) knows no driver; this is where they meet.
 */
public final class DriverValues {
  private DriverValues() {}

  /** Converts a program value of {@code type} into what the driver binds. */
  public static @Nullable Object toDriver(SqlType<?> type, @Nullable Object value) {
    Object d = type.toDriver(value);
    if (d instanceof String s && isJson(type)) {
      return io.r2dbc.postgresql.codec.Json.of(s);
    }
    return d;
  }

  /** Returns the class to bind a {@code null} of {@code type} as. */
  public static Class<?> nullType(SqlType<?> type) {
    if (isJson(type)) {
      return io.r2dbc.postgresql.codec.Json.class;
    }
    Class<?> c = type.driverType();
    return c == Object.class ? String.class : c;
  }

  private static boolean isJson(SqlType<?> type) {
    SqlType<?> t = type;
    while (t.decorated() != null) {
      t = t.decorated();
    }
    return t == Types.JSON;
  }
}
