package dev.athanor.sql;

import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A column type: its SQL spelling per dialect, the Java type of its values, and the conversions
 * between what the program holds and what the driver binds and returns. Common types are in {@link
 * Types}; a program defines its own with {@link #of} (a database type Athanor does not know) or
 * {@link #decorate} (its own Java type stored as an existing type: JSON text read into a class, a
 * value class over a number, an enum stored by a code).
 *
 * <pre>{@code
 * // An enum stored by its one-letter code in a VARCHAR(1):
 * SqlType<Status> STATUS = Types.string(1).decorate(Status.class, Status::code, Status::ofCode);
 * // A value class over BIGINT:
 * SqlType<UserId> USER_ID = Types.BIGINT.decorate(UserId.class, UserId::value, UserId::new);
 * }</pre>
 *
 * <p>Types are compared by identity in the compiled-statement cache: declare a type once (a
 * constant) rather than per statement.
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
  private final @Nullable SqlType<?> decorated;

  private SqlType(
      String name,
      Class<T> javaType,
      Class<?> driverType,
      Function<Dialect, String> ddl,
      Function<Object, Object> toDriver,
      Function<Object, Object> fromDriver,
      @Nullable SqlType<?> decorated) {
    this.name = name;
    this.javaType = javaType;
    this.driverType = driverType;
    this.ddl = ddl;
    this.toDriver = toDriver;
    this.fromDriver = fromDriver;
    this.decorated = decorated;
  }

  SqlType(
      String name,
      Class<T> javaType,
      Class<?> driverType,
      Function<Dialect, String> ddl,
      Function<Object, Object> toDriver,
      Function<Object, Object> fromDriver) {
    this(name, javaType, driverType, ddl, toDriver, fromDriver, null);
  }

  static <T> SqlType<T> simple(String name, Class<T> javaType, String sql) {
    return new SqlType<>(name, javaType, javaType, d -> sql, v -> v, v -> v);
  }

  /**
   * Returns a type the driver binds and reads as values of {@code javaType}, spelled {@code ddl} in
   * DDL on every dialect; for a database type Athanor has no constant for.
   *
   * <pre>{@code
   * SqlType<String> CITEXT = SqlType.of("CITEXT", String.class, d -> d.isH2() ? "VARCHAR_IGNORECASE" : "CITEXT");
   * }</pre>
   */
  public static <T> SqlType<T> of(String name, Class<T> javaType, Function<Dialect, String> ddl) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(javaType, "javaType");
    Objects.requireNonNull(ddl, "ddl");
    return new SqlType<>(name, javaType, javaType, ddl, v -> v, v -> v);
  }

  /**
   * Returns a type spelled {@code ddl} on every dialect; see {@link #of(String, Class, Function)}.
   */
  public static <T> SqlType<T> of(String name, Class<T> javaType, String ddl) {
    Objects.requireNonNull(ddl, "ddl");
    return of(name, javaType, d -> ddl);
  }

  /**
   * Returns a type whose program values are of {@code javaType}, stored as values of this type:
   * SQLAlchemy's {@code TypeDecorator}. {@code toStored} runs on every value bound (never on {@code
   * null}), {@code fromStored} on every non-null value read. DDL, the driver type and the
   * database's comparisons are this type's.
   *
   * @param javaType the class of the program's values
   * @param toStored turns a program value into a value of this type
   * @param fromStored turns a value of this type into a program value
   */
  @SuppressWarnings("unchecked")
  public <P> SqlType<P> decorate(
      Class<P> javaType,
      Function<? super P, ? extends T> toStored,
      Function<? super T, ? extends P> fromStored) {
    Objects.requireNonNull(javaType, "javaType");
    Objects.requireNonNull(toStored, "toStored");
    Objects.requireNonNull(fromStored, "fromStored");
    SqlType<T> impl = this;
    return new SqlType<>(
        javaType.getSimpleName() + "(" + name + ")",
        javaType,
        driverType,
        ddl,
        v -> impl.toDriver.apply(javaType.isInstance(v) ? toStored.apply((P) v) : v),
        v -> fromStored.apply((T) v),
        impl);
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

  /** Returns the type this one {@linkplain #decorate decorates}, or {@code null}. */
  public @Nullable SqlType<?> decorated() {
    return decorated;
  }

  /** Returns the SQL spelling of this type in a dialect's DDL. */
  public String ddl(Dialect dialect) {
    return ddl.apply(dialect);
  }

  /** Converts a program value into what the driver binds. */
  public @Nullable Object toDriver(@Nullable Object value) {
    return value == null ? null : toDriver.apply(value);
  }

  /**
   * Converts what the driver returned into the program's value: numbers are narrowed or widened to
   * the type's number class, a decorated type converts its stored value.
   */
  public @Nullable Object fromDriver(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    if (decorated != null) {
      Object stored = decorated.fromDriver(value);
      return stored == null ? null : fromDriver.apply(stored);
    }
    if (javaType == Object.class || (javaType.isInstance(value) && !javaType.isEnum())) {
      return value;
    }
    if (value instanceof Number n && Number.class.isAssignableFrom(javaType)) {
      Object converted = convertNumber(n, javaType);
      if (converted != null) {
        return converted;
      }
    }
    return fromDriver.apply(value);
  }

  private static @Nullable Object convertNumber(Number n, Class<?> target) {
    if (target == Integer.class) {
      return n.intValue();
    } else if (target == Long.class) {
      return n.longValue();
    } else if (target == Short.class) {
      return n.shortValue();
    } else if (target == Double.class) {
      return n.doubleValue();
    } else if (target == Float.class) {
      return n.floatValue();
    } else if (target == java.math.BigDecimal.class) {
      return n instanceof java.math.BigInteger bi
          ? new java.math.BigDecimal(bi)
          : new java.math.BigDecimal(n.toString());
    }
    return null;
  }

  @Override
  public String toString() {
    return name;
  }
}
