package dev.athanor.sql;

import java.util.Set;

/** {@code op operand}, e.g. {@code NOT x}. */
final class Prefix<T> extends Expression<T> {
  final String op;
  final Expression<?> operand;
  private final SqlType<T> type;

  Prefix(String op, Expression<?> operand, SqlType<T> type) {
    this.op = op;
    this.operand = operand;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  int precedence() {
    return 30;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(op).node(operand);
  }

  @Override
  void compile(Compiler c) {
    c.append(op);
    c.operand(operand, precedence() + 1);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    operand.collectFroms(into);
  }
}
