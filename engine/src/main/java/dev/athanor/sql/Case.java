package dev.athanor.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code CASE WHEN cond THEN value ... ELSE value END}; start with {@link Sql#caseWhen}.
 *
 * @param <T> the Java type of the values
 */
public final class Case<T> extends Expression<T> {
  private final List<Expression<Boolean>> conditions;
  private final List<Expression<? extends T>> values;
  private final @Nullable Expression<? extends T> otherwise;
  private final SqlType<T> type;

  Case(
      List<Expression<Boolean>> conditions,
      List<Expression<? extends T>> values,
      @Nullable Expression<? extends T> otherwise,
      SqlType<T> type) {
    this.conditions = List.copyOf(conditions);
    this.values = List.copyOf(values);
    this.otherwise = otherwise;
    this.type = type;
  }

  /** Adds a {@code WHEN condition THEN value} branch. */
  public Case<T> when(Expression<Boolean> condition, T value) {
    return when(condition, new BindValue<>(value, type));
  }

  /** Adds a {@code WHEN condition THEN expr} branch. */
  public Case<T> when(Expression<Boolean> condition, Expression<? extends T> value) {
    List<Expression<Boolean>> c = new ArrayList<>(conditions);
    List<Expression<? extends T>> v = new ArrayList<>(values);
    c.add(condition);
    v.add(value);
    return new Case<>(c, v, otherwise, type);
  }

  /** Sets the {@code ELSE} value. */
  public Case<T> otherwise(T value) {
    return new Case<>(conditions, values, new BindValue<>(value, type), type);
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.nodes(conditions).nodes(values).node(otherwise);
  }

  @Override
  void compile(Compiler c) {
    c.append("CASE");
    for (int i = 0; i < conditions.size(); i++) {
      c.append(" WHEN ");
      c.expr(conditions.get(i));
      c.append(" THEN ");
      c.expr(values.get(i));
    }
    if (otherwise != null) {
      c.append(" ELSE ");
      c.expr(otherwise);
    }
    c.append(" END");
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    for (Expression<Boolean> e : conditions) {
      e.collectFroms(into);
    }
  }
}
