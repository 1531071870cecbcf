package dev.athanor.session;

import dev.athanor.sql.Column;
import dev.athanor.sql.Expression;
import dev.athanor.sql.ExpressionProxy;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A mapped field: an expression that stands for its column in statements ({@code
 * User_.name.eq("sandy")}, {@code orderBy(User_.id)}), and the way the session reads and writes the
 * field. Reading a field never does IO.
 *
 * @param <E> the mapped class
 * @param <T> the field's type
 */
public final class Attribute<E, T> extends ExpressionProxy<T> {
  private final Mapper<E> mapper;
  private final String name;
  private final Column<T> column;
  private final VarHandle field;

  /** The wrapper class of a primitive field's type ({@code Integer} for {@code int}), else null. */
  private final @Nullable Class<?> primitiveBox;

  Attribute(Mapper<E> mapper, String name, Column<T> column, VarHandle field) {
    this.mapper = mapper;
    this.name = name;
    this.column = column;
    this.field = field;
    Class<?> t = field.varType();
    this.primitiveBox =
        t.isPrimitive() ? java.lang.invoke.MethodType.methodType(t).wrap().returnType() : null;
  }

  /** Returns the column this attribute stands for. */
  @Override
  public Expression<T> toExpression() {
    return column;
  }

  /** Returns the mapper of the class this attribute belongs to. */
  public Mapper<E> mapper() {
    return mapper;
  }

  /** Returns the field's name. */
  public String name() {
    return name;
  }

  /** Returns the mapped column. */
  public Column<T> column() {
    return column;
  }

  /** Returns the field's value in {@code entity}. */
  @SuppressWarnings("unchecked")
  public @Nullable T get(E entity) {
    return (T) field.get(entity);
  }

  /** Sets the field in {@code entity}; the session sees the change at the next flush. */
  public void set(E entity, @Nullable T value) {
    field.set(entity, value);
  }

  Object read(Object entity) {
    return field.get(entity);
  }

  /**
   * Whether the field, once {@code value} is written, holds that value itself, so that {@code
   * value} can serve as its committed value: true unless the field is primitive and the value is
   * null or of another type than the field's wrapper (the field keeps its default, or widens it),
   * or the value is a {@code byte[]} (committed values keep a copy of an array the object could
   * change in place).
   */
  boolean keepsAsWritten(@Nullable Object value) {
    Class<?> box = primitiveBox;
    if (box != null) {
      return value != null && value.getClass() == box;
    }
    return !(value instanceof byte[]);
  }

  void write(Object entity, @Nullable Object value) {
    if (value == null && field.varType().isPrimitive()) {
      return;
    }
    field.set(entity, value);
  }

  @Override
  public String toString() {
    return mapper.type().getSimpleName() + "." + name;
  }
}
