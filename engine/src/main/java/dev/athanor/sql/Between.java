package dev.athanor.sql;

import java.util.Set;

/** {@code x BETWEEN low AND high}. */
final class Between extends Expression<Boolean> {
  private final Expression<?> value;
  private final Expression<?> low;
  private final Expression<?> high;

  Between(Expression<?> value, Expression<?> low, Expression<?> high) {
    this.value = value;
    this.low = low;
    this.high = high;
  }

  @Override
  public SqlType<Boolean> type() {
    return Types.BOOLEAN;
  }

  @Override
  int precedence() {
    return 40;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.node(value).node(low).node(high);
  }

  @Override
  void compile(Compiler c) {
    c.operand(value, precedence() + 1);
    c.append(" BETWEEN ");
    c.operand(low, precedence() + 1);
    c.append(" AND ");
    c.operand(high, precedence() + 1);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    value.collectFroms(into);
  }
}
