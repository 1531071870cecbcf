package dev.athanor.sql;

import java.util.Set;

/**
 * An {@link Expression} that stands for another one, found when it is first used: the base of an
 * ORM's mapped attribute ({@code User_.name}), which needs the operators of an expression ({@code
 * User_.name.eq("sandy")}) but can only name its column once the mapping is configured. Statements
 * compile a proxy exactly as the expression it stands for, with the same cache key; statements that
 * select a proxy select that expression, and rows find the column by either.
 *
 * <pre>{@code
 * final class Attribute<T> extends ExpressionProxy<T> {
 *   private final Supplier<Column<T>> column;
 *   public Expression<T> toExpression() { return column.get(); }
 * }
 * }</pre>
 *
 * @param <T> the Java type of the expression's values
 */
public abstract class ExpressionProxy<T> extends Expression<T> {
  /** Creates the proxy. */
  protected ExpressionProxy() {}

  /**
   * Returns the expression this proxy stands for. Called at each use: keep it cheap (resolve once,
   * then return the same object).
   */
  @Override
  public abstract Expression<T> toExpression();

  private Expression<T> target() {
    return Coercions.expression(this);
  }

  @Override
  public SqlType<T> type() {
    return target().type();
  }

  @Override
  public String keyName() {
    return target().keyName();
  }

  @Override
  public Object keyTarget() {
    return target();
  }

  @Override
  final void shape(StatementShape.Builder k) {
    k.node(target());
  }

  @Override
  final void compile(Compiler c) {
    target().compile(c);
  }

  @Override
  final void collectFroms(Set<FromClause> into) {
    target().collectFroms(into);
  }

  @Override
  final int precedence() {
    return target().precedence();
  }
}
