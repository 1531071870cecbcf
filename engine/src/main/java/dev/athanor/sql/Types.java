package dev.athanor.sql;

import dev.athanor.error.CompileException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The common column types. */
public final class Types {
  private Types() {}

  /** A 32-bit integer. */
  public static final SqlType<Integer> INTEGER =
      SqlType.simple("INTEGER", Integer.class, "INTEGER");

  /** A 64-bit integer. */
  public static final SqlType<Long> BIGINT = SqlType.simple("BIGINT", Long.class, "BIGINT");

  /** A 16-bit integer. */
  public static final SqlType<Short> SMALLINT = SqlType.simple("SMALLINT", Short.class, "SMALLINT");

  /** Text of any length. */
  public static final SqlType<String> TEXT =
      new SqlType<>(
          "TEXT", String.class, String.class, d -> d.isH2() ? "VARCHAR" : "TEXT", v -> v, v -> v);

  /** A boolean. */
  public static final SqlType<Boolean> BOOLEAN =
      SqlType.simple("BOOLEAN", Boolean.class, "BOOLEAN");

  /** A double-precision floating-point number. */
  public static final SqlType<Double> DOUBLE =
      SqlType.simple("DOUBLE PRECISION", Double.class, "DOUBLE PRECISION");

  /** A single-precision floating-point number. */
  public static final SqlType<Float> REAL = SqlType.simple("REAL", Float.class, "REAL");

  /** A date without time. */
  public static final SqlType<LocalDate> DATE = SqlType.simple("DATE", LocalDate.class, "DATE");

  /** A time of day without zone. */
  public static final SqlType<LocalTime> TIME = SqlType.simple("TIME", LocalTime.class, "TIME");

  /** A timestamp without time zone. */
  public static final SqlType<LocalDateTime> TIMESTAMP =
      SqlType.simple("TIMESTAMP", LocalDateTime.class, "TIMESTAMP");

  /** A timestamp with time zone. */
  public static final SqlType<OffsetDateTime> TIMESTAMPTZ =
      SqlType.simple("TIMESTAMP WITH TIME ZONE", OffsetDateTime.class, "TIMESTAMP WITH TIME ZONE");

  /** A UUID (native on both databases). */
  public static final SqlType<UUID> UUID_TYPE = SqlType.simple("UUID", UUID.class, "UUID");

  /** Binary data of any length, as {@code byte[]}. */
  public static final SqlType<byte[]> BYTES =
      new SqlType<>(
          "BYTES",
          byte[].class,
          ByteBuffer.class,
          d -> d.isH2() ? "VARBINARY" : "BYTEA",
          v -> v instanceof byte[] b ? ByteBuffer.wrap(b) : v,
          v -> {
            if (v instanceof ByteBuffer b) {
              byte[] out = new byte[b.remaining()];
              b.duplicate().get(out);
              return out;
            }
            return v;
          });

  /**
   * JSON text, stored as {@code JSONB} on PostgreSQL; values are JSON strings (the engine hands
   * them to the driver as JSON). H2 has no compatible type: creating such a column there fails with
   * a {@link CompileException}. Decorate it to read JSON into a class of the program's: {@code
   * Types.JSON.decorate(Point.class, mapper::write, mapper::read)}.
   */
  public static final SqlType<String> JSON =
      new SqlType<>(
          "JSON",
          String.class,
          String.class,
          d -> {
            if (d.isH2()) {
              throw new CompileException(
                  "The JSON type is supported on PostgreSQL only; on H2 store the JSON text in a "
                      + "Types.TEXT column.");
            }
            return "JSONB";
          },
          v -> v,
          v -> v);

  /** Variable-length text of at most {@code length} characters. */
  public static SqlType<String> string(int length) {
    if (length < 1) {
      throw new dev.athanor.error.ArgumentException(
          "string length must be positive, not " + length);
    }
    return SqlType.simple("VARCHAR(" + length + ")", String.class, "VARCHAR(" + length + ")");
  }

  /** An exact decimal number with {@code precision} digits, {@code scale} after the point. */
  public static SqlType<BigDecimal> numeric(int precision, int scale) {
    String s = "NUMERIC(" + precision + ", " + scale + ")";
    return SqlType.simple(s, BigDecimal.class, s);
  }

  /**
   * A Java enum, stored as its constant name in a {@code VARCHAR} sized to the longest name; {@link
   * Table} adds a CHECK constraint that allows only the constants.
   */
  public static <E extends Enum<E>> SqlType<E> enumOf(Class<E> type) {
    int len = 1;
    for (E e : type.getEnumConstants()) {
      len = Math.max(len, e.name().length());
    }
    String sql = "VARCHAR(" + len + ")";
    return new SqlType<>(
        "ENUM(" + type.getSimpleName() + ")",
        type,
        String.class,
        d -> sql,
        v -> v instanceof Enum<?> e ? e.name() : v.toString(),
        v -> Enum.valueOf(type, (String) v));
  }

  /** Returns the type used for a bound Java value when no column gives one. */
  @SuppressWarnings("unchecked")
  public static <T> SqlType<T> forValue(Object value) {
    SqlType<?> t;
    if (value instanceof Integer) {
      t = INTEGER;
    } else if (value instanceof Long) {
      t = BIGINT;
    } else if (value instanceof Short) {
      t = SMALLINT;
    } else if (value instanceof String) {
      t = TEXT;
    } else if (value instanceof Boolean) {
      t = BOOLEAN;
    } else if (value instanceof Double) {
      t = DOUBLE;
    } else if (value instanceof Float) {
      t = REAL;
    } else if (value instanceof BigDecimal) {
      t = numeric(38, 10);
    } else if (value instanceof LocalDate) {
      t = DATE;
    } else if (value instanceof LocalTime) {
      t = TIME;
    } else if (value instanceof LocalDateTime) {
      t = TIMESTAMP;
    } else if (value instanceof OffsetDateTime) {
      t = TIMESTAMPTZ;
    } else if (value instanceof UUID) {
      t = UUID_TYPE;
    } else if (value instanceof byte[]) {
      t = BYTES;
    } else if (value instanceof Enum<?> e) {
      t = enumOf(e.getDeclaringClass().asSubclass(Enum.class));
    } else {
      t =
          new SqlType<>(
              value.getClass().getSimpleName(),
              Object.class,
              value.getClass(),
              d -> "",
              v -> v,
              v -> v);
    }
    return (SqlType<T>) t;
  }

  /** The type of an expression whose type is not known (e.g. a parameter of textual SQL). */
  public static final SqlType<Object> NULLTYPE =
      new SqlType<>("NULL", Object.class, String.class, d -> "", v -> v, v -> v);
}
