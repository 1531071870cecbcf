package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An expression whose SQL the program writes, per dialect: SQLAlchemy's {@code @compiles} on a
 * custom {@code ColumnElement}. Subclass it, pass the expressions it is made of as its parts, and
 * write the SQL in {@link #render}; it then takes part in statements like any other expression (in
 * {@code select}, {@code where}, {@code orderBy}, {@code values}), with its parts' values bound as
 * parameters.
 *
 * <pre>{@code
 * final class StringAgg extends CustomExpression<String> {
 *   StringAgg(Expression<String> value, String separator) {
 *     super(Types.TEXT, value, Sql.literal(separator));
 *   }
 *
 *   protected void render(SqlWriter out) {
 *     out.sql(out.dialect().isH2() ? "LISTAGG(" : "string_agg(")
 *         .part(0).sql(", ").part(1).sql(")");
 *   }
 * }
 * }</pre>
 *
 * <p>Compiled statements are cached by their structure, so the SQL written must follow from three
 * things only: the dialect, the parts, and {@link #shapeKey()}. Settings kept in fields that change
 * the SQL (a function name, a flag) belong in {@code shapeKey()}; values belong in the parts, as
 * {@link Sql#literal} or {@link Sql#bindparam} expressions, so that they are sent as parameters.
 * The SQL is used where an operand goes: wrap it in parentheses if it has an operator at the top
 * ({@code (a || b)}).
 *
 * @param <T> the Java type of the expression's values
 */
public abstract class CustomExpression<T> extends Expression<T> {
  private final SqlType<T> type;
  private final List<Expression<?>> parts;

  /** Makes an expression of {@code type} out of {@code parts}, in the order render uses them. */
  protected CustomExpression(SqlType<T> type, ExpressionSource<?>... parts) {
    this(type, List.of(parts));
  }

  /** Makes an expression of {@code type} out of {@code parts}, in the order render uses them. */
  protected CustomExpression(SqlType<T> type, List<? extends ExpressionSource<?>> parts) {
    this.type = type;
    List<Expression<?>> list = new ArrayList<>(parts.size());
    for (ExpressionSource<?> p : parts) {
      list.add(p.toExpression());
    }
    this.parts = List.copyOf(list);
  }

  /**
   * Writes this expression's SQL for {@code out.dialect()}: text with {@link SqlWriter#sql}, the
   * parts with {@link SqlWriter#part}.
   */
  protected abstract void render(SqlWriter out);

  /**
   * Returns what, besides its class and its parts, decides this expression's SQL; expressions with
   * equal keys (and alike parts) must write the same SQL. None by default.
   */
  protected Object shapeKey() {
    return List.of();
  }

  @Override
  public final SqlType<T> type() {
    return type;
  }

  /** Returns the expressions this one is made of, in the order given. */
  public final List<Expression<?>> parts() {
    return parts;
  }

  @Override
  final void shape(StatementShape.Builder k) {
    k.token(shapeKey()).nodes(parts);
  }

  @Override
  final void compile(Compiler c) {
    render(new SqlWriter(c, parts));
  }

  @Override
  final void collectFroms(Set<FromClause> into) {
    for (Expression<?> p : parts) {
      p.collectFroms(into);
    }
  }
}
