package dev.athanor.sql;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A column type: its SQL spelling per dialect, the Java type of its values, and the conversions
 * between what the program holds and what the driver binds and returns. Common types are in {@link
 * Types}.
 *
 * @param <T> the Java type of values of this type
 */
public final class SqlType<T> {
  private final String name;
  private final Class<T> javaType;
  private final Class<?> driverType;
  private final Function<Dialect, String> ddl;
  private final Function<Object, Object> toDriver;
  private final Function<Object, Object> fromDriver;

  SqlType(
      String name,
      Class<T> javaType,
      Class<?> driverType,
      Function<Dialect, String> ddl,
      Function<Object, Object> toDriver,
      Function<Object, Object> fromDriver) {
    this.name = name;
    this.javaType = javaType;
    this.driverType = driverType;
    this.ddl = ddl;
    this.toDriver = toDriver;
    this.fromDriver = fromDriver;
  }

  static <T> SqlType<T> simple(String name, Class<T> javaType, String sql) {
    return new SqlType<>(name, javaType, javaType, d -> sql, v -> v, v -> v);
  }

  /** Returns the type's name, e.g. {@code VARCHAR(30)}. */
  public String name() {
    return name;
  }

  /** Returns the Java type of values of this type. */
  public Class<T> javaType() {
    return javaType;
  }

  /** Returns the Java type the driver binds and reads for this type. */
  public Class<?> driverType() {
    return driverType;
  }

  /** Returns the SQL spelling of this type in a dialect's DDL. */
  public String ddl(Dialect dialect) {
    return ddl.apply(dialect);
  }

  /** Converts a program value into what the driver binds. */
  public @Nullable Object toDriver(@Nullable Object value) {
    return value == null ? null : toDriver.apply(value);
  }

  /** Converts what the driver returned into the program's value. */
  public @Nullable Object fromDriver(@Nullable Object value) {
    return value == null ? null : fromDriver.apply(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
