package dev.athanor.sql;

import java.util.Set;

/** {@code operand op}, e.g. {@code x IS NULL}. */
final class Postfix<T> extends Expression<T> {
  final Expression<?> operand;
  final String op;
  private final SqlType<T> type;

  Postfix(Expression<?> operand, String op, SqlType<T> type) {
    this.operand = operand;
    this.op = op;
    this.type = type;
  }

  @Override
  public SqlType<T> type() {
    return type;
  }

  @Override
  int precedence() {
    return 40;
  }

  @Override
  void shape(StatementShape.Builder k) {
    k.token(op).node(operand);
  }

  @Override
  void compile(Compiler c) {
    c.operand(operand, precedence() + 1);
    c.append(op);
  }

  @Override
  void collectFroms(Set<FromClause> into) {
    operand.collectFroms(into);
  }
}
