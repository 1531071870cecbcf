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

  Attribute(Mapper<E> mapper, String name, Column<T> column, VarHandle field) {
    this.mapper = mapper;
    this.name = name;
    this.column = column;
    this.field = field;
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
