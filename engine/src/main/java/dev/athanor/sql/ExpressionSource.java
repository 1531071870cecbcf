package dev.athanor.sql;

import dev.athanor.result.ColumnKey;
import java.util.Map;

/**
 * Something that stands for an {@link Expression} wherever a statement takes one: SQLAlchemy's
 * {@code __clause_element__}. Every {@code Expression} is one (standing for itself); layers above
 * the Core implement it for their own objects, such as an ORM's mapped attribute, so that {@code
 * select}, {@code where}, {@code orderBy}, {@code groupBy}, {@code returning}, join conditions and
 * {@code Row.get} accept them.
 *
 * <pre>{@code
 * record Attr<T>(Column<T> column) implements ExpressionSource<T> {
 *   public Expression<T> toExpression() { return column; }
 * }
 * select(users).where(new Attr<>(name).toExpression().eq("sandy")).orderBy(new Attr<>(id));
 * }</pre>
 *
 * <p>An object that also wants the operators ({@code eq}, {@code lt}, ...) extends {@link
 * ExpressionProxy} instead.
 *
 * @param <T> the Java type of the expression's values
 */
public interface ExpressionSource<T> extends ColumnKey<T> {
  /** Returns the expression this object stands for. */
  Expression<T> toExpression();

  /** Returns the name of the expression this object stands for. */
  @Override
  default String keyName() {
    return toExpression().keyName();
  }

  /** Returns the expression, under which rows index this object's column. */
  @Override
  default Object keyTarget() {
    return toExpression();
  }

  /**
   * Returns annotations a statement that selects this object takes on (who built it, for which
   * entity); they take part in the statement's cache key. None by default.
   */
  default Map<String, Object> annotations() {
    return Map.of();
  }
}
