package dev.athanor.session;

import dev.athanor.sql.Column;
import dev.athanor.sql.Expression;
import dev.athanor.sql.ExpressionProxy;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
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

  /**
   * The field's read and write as method handles of erased type ({@code (Object)Object} and {@code
   * (Object,Object)void}), called exactly: the loader and the flush touch every field of every
   * object, and a {@code VarHandle} called with other types than its own adapts them on each call.
   */
  private final MethodHandle getter;

  private final MethodHandle setter;

  /** The wrapper class of a primitive field's type ({@code Integer} for {@code int}), else null. */
  private final @Nullable Class<?> primitiveBox;

  Attribute(Mapper<E> mapper, String name, Column<T> column, VarHandle field) {
    this.mapper = mapper;
    this.name = name;
    this.column = column;
    this.getter =
        field
            .toMethodHandle(VarHandle.AccessMode.GET)
            .asType(MethodType.methodType(Object.class, Object.class));
    this.setter =
        field
            .toMethodHandle(VarHandle.AccessMode.SET)
            .asType(MethodType.methodType(void.class, Object.class, Object.class));
    Class<?> t = field.varType();
    this.primitiveBox = t.isPrimitive() ? MethodType.methodType(t).wrap().returnType() : null;
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
    return (T) read(entity);
  }

  /** Sets the field in {@code entity}; the session sees the change at the next flush. */
  public void set(E entity, @Nullable T value) {
    put(entity, value);
  }

  Object read(Object entity) {
    try {
      return (Object) getter.invokeExact(entity);
    } catch (Throwable t) {
      throw unchecked(t);
    }
  }

  private void put(Object entity, @Nullable Object value) {
    try {
      setter.invokeExact(entity, value);
    } catch (Throwable t) {
      throw unchecked(t);
    }
  }

  /**
   * A field access throws only unchecked exceptions (a value of another class, a null into a
   * primitive field): rethrown as they are.
   */
  private static RuntimeException unchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
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
    if (value == null && primitiveBox != null) {
      return;
    }
    put(entity, value);
  }

  @Override
  public String toString() {
    return mapper.type().getSimpleName() + "." + name;
  }
}
